using FastLaDeDa.Tests.Support;
using FastLaDeDa.Training.Commands;
using FastLaDeDa.Weights;

namespace FastLaDeDa.Training.Tests;

/// <summary>
/// The model card's one command (<c>training/run.sh all --extra STAGED</c>) reproduces the shipped
/// default: the training options recorded in <c>weights/tiny-ladeda.safetensors</c> are exactly
/// <see cref="AllCommand.FineTuneArguments"/>, so neither can change without the other.
/// </summary>
public class ShippedRecipeTests
{
    // Where a run reads and writes, and how many threads it used: the machine's, not the recipe's.
    private static readonly string[] PathOptions = ["--out", "--init", "--extra", "--data", "--threads"];

    [SkippableFact]
    public void The_shipped_Tiny_LaDeDa_was_trained_with_the_fine_tune_step_of_all()
    {
        string weights = Path.Combine(SharedData.RepoRoot, "weights", "tiny-ladeda.safetensors");
        Skip.IfNot(File.Exists(weights), "weights/tiny-ladeda.safetensors is not in this checkout");
        var metadata = SafeTensors.Read(weights).Metadata;

        string[] words = metadata["command"].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["FastLaDeDa.Training", "train-tiny"], words[..2]);
        var recorded = Options(words[2..]);
        Assert.True(recorded.ContainsKey("--init"), "the shipped Tiny-LaDeDa starts from the distilled student (--init)");
        Assert.True(recorded.ContainsKey("--extra"), "the shipped Tiny-LaDeDa trains on the staged EXTRA images (--extra)");
        recorded.TryAdd("--seed", metadata["seed"]);   // the default seed is not on the command line
        foreach (string option in PathOptions) recorded.Remove(option);

        Assert.Equal(Options(AllCommand.FineTuneArguments).OrderBy(p => p.Key), recorded.OrderBy(p => p.Key));
    }

    /// <summary>"--name value" pairs (every option of these command lines takes one value).</summary>
    private static Dictionary<string, string> Options(string[] words)
    {
        Assert.True(words.Length % 2 == 0, "an option without its value: " + string.Join(' ', words));
        var options = new Dictionary<string, string>();
        for (int i = 0; i < words.Length; i += 2)
        {
            Assert.StartsWith("--", words[i]);
            Assert.True(options.TryAdd(words[i], words[i + 1]), $"{words[i]} given twice");
        }
        return options;
    }
}
