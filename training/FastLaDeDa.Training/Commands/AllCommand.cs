using System.CommandLine;
using FastLaDeDa.Training.Data;
using FastLaDeDa.Training.Training;

namespace FastLaDeDa.Training.Commands;

/// <summary>
/// <c>all [--data DIR] [--extra STAGED] [--out runs/all] [--weights-dir weights] [--compare-jpeg]</c>:
/// reproduces the shipped weights end to end with the settings of <c>weights/MODEL_CARD.md</c> — LaDeDa
/// (the teacher), Tiny-LaDeDa distilled from it, Tiny-LaDeDa trained without a teacher (the baseline)
/// and, with <c>--extra</c>, the shipped default: the distilled student fine-tuned on train/ + the staged
/// EXTRA.md images — then evaluates them on DATA/test with the TorchSharp models and copies the models,
/// metrics CSVs and curve PNGs into the weights folder. Each step writes its own subfolder of --out; a step whose
/// model.safetensors exists is skipped, one with a last.ckpt is resumed, so an interrupted
/// <c>all</c> continues where it stopped.
/// </summary>
internal static class AllCommand
{
    /// <summary>Whether the shipped LaDeDa and Tiny runs use random JPEG re-encoding of both classes (the comparison's winner, see MODEL_CARD.md).</summary>
    public const bool ShippedWithJpeg = true;

    /// <summary>The JPEG augmentation compared: half of the training images (both classes) re-encoded at a random quality 60–100.</summary>
    public static readonly string[] JpegArguments = ["--jpeg", "0.5", "--jpeg-quality", "60-100"];

    /// <summary>LaDeDa's budget on a 2-core CPU: crop 96 (121 patches per image instead of 729), 8 epochs.</summary>
    public static readonly string[] LaDeDaArguments = ["--crop", "96", "--val-crop", "224", "--max-epochs", "8", "--patience", "3", "--seed", "42", "--f16"];

    /// <summary>Distillation: the paper's crop 224 and batch 729, 40 epochs, one teacher pass.</summary>
    public static readonly string[] DistillArguments = ["--crop", "224", "--val-crop", "224", "--max-epochs", "40", "--patience", "5", "--seed", "42"];

    /// <summary>Tiny-LaDeDa without a teacher: crop 224, batch 32, 40 epochs.</summary>
    public static readonly string[] TinyArguments = ["--crop", "224", "--val-crop", "224", "--max-epochs", "40", "--patience", "5", "--seed", "42"];

    /// <summary>
    /// The shipped default's last step (2026-12-05): the distilled student fine-tuned at a quarter of the
    /// learning rate on train/ + EXTRA, with the leave-source-out recipe's chain and synthetic up-sampling
    /// fakes, the epoch chosen by validation AUC. The exported metadata's command line holds the same
    /// options (a test checks it), so the model card's one command stays true.
    /// </summary>
    public static readonly string[] FineTuneArguments =
    [
        "--crop", "224", "--val-crop", "224", "--max-epochs", "25", "--patience", "25", "--lr", "5e-5", "--select", "auc", "--seed", "42",
        "--jpeg", "0.3", "--jpeg-quality", "70-100", "--rescale", "0.25", "--rescale-min", "0.5", "--blur", "0.05", "--synthetic-fakes", "0.3",
    ];

    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Data root with train/, val/ and test/.", DefaultValueFactory = _ => SharedDataLocator.DefaultDataRoot(), HelpName = "dir" };
        var output = new Option<string>("--out", "-o") { Description = "Folder for the runs.", DefaultValueFactory = _ => "runs/all", HelpName = "dir" };
        var weights = new Option<string>("--weights-dir") { Description = "Where the shipped files are copied.", DefaultValueFactory = _ => "weights", HelpName = "dir" };
        var compare = new Option<bool>("--compare-jpeg") { Description = "Also train LaDeDa with the other JPEG setting and evaluate both (the comparison of MODEL_CARD.md)." };
        var extra = new Option<string?>("--extra") { Description = "stage-extra's output: fine-tune the distilled Tiny-LaDeDa on train/ + these images, the shipped default (without it the distilled student is copied, the default until 2026-12-05).", HelpName = "dir" };
        var command = new Command("all", "Reproduce the shipped weights: LaDeDa, distilled Tiny-LaDeDa (fine-tuned on EXTRA with --extra), Tiny-LaDeDa without a teacher; evaluate; copy into weights/.") { data, extra, output, weights, compare };
        command.SetAction(parse => CommandErrors.Run(() =>
        {
            string root = parse.GetValue(data)!, outFolder = parse.GetValue(output)!, weightsFolder = parse.GetValue(weights)!;
            string[] shippedAugmentation = ShippedWithJpeg ? JpegArguments : [];
            string ladeda = Path.Combine(outFolder, ShippedWithJpeg ? "ladeda-jpeg" : "ladeda-plain");
            string other = Path.Combine(outFolder, ShippedWithJpeg ? "ladeda-plain" : "ladeda-jpeg");
            string distill = Path.Combine(outFolder, "distill");
            string tiny = Path.Combine(outFolder, "tiny-no-teacher");
            string? staged = parse.GetValue(extra);
            string finetuned = Path.Combine(outFolder, "tiny-finetuned");
            bool compareJpeg = parse.GetValue(compare);
            // The runs evaluated and whose curves are copied.
            var runs = new List<string> { ladeda };
            if (compareJpeg) runs.Add(other);
            runs.AddRange([distill, tiny]);
            if (staged is not null) runs.Add(finetuned);

            Step("train-ladeda", ladeda, [.. LaDeDaArguments, .. shippedAugmentation, "--data", root]);
            if (compareJpeg) Step("train-ladeda", other, [.. LaDeDaArguments, .. (ShippedWithJpeg ? Array.Empty<string>() : JpegArguments), "--data", root]);
            // The teacher is the best epoch's F32 weights (the shipped ladeda.safetensors is the same model stored as F16).
            Step("distill", distill, [.. DistillArguments, .. shippedAugmentation, "--teacher", Path.Combine(ladeda, EpochTrainer.BestFile), "--data", root]);
            Step("train-tiny", tiny, [.. TinyArguments, .. shippedAugmentation, "--data", root]);
            if (staged is not null)
                Step("train-tiny", finetuned, [.. FineTuneArguments, "--init", Path.Combine(distill, EpochTrainer.ModelFile), "--extra", staged, "--data", root]);

            string test = Path.Combine(root, "test");
            foreach (string run in runs)
            {
                Console.WriteLine($"== evaluate {run} on {test}");
                using var writer = new StringWriter();
                var previous = Console.Out;
                Console.SetOut(writer);
                int rc;
                try { rc = TrainingCli.Create().Parse(["evaluate", test, "--weights", Path.Combine(run, EpochTrainer.ModelFile)]).Invoke(); }
                finally { Console.SetOut(previous); }
                if (rc != 0) return rc;
                File.WriteAllText(Path.Combine(run, "test-metrics.md"), writer.ToString());
                Console.Write(writer.ToString());
            }

            Directory.CreateDirectory(weightsFolder);
            string shippedTiny = staged is null ? distill : finetuned;
            File.Copy(Path.Combine(shippedTiny, EpochTrainer.ModelFile), Path.Combine(weightsFolder, "tiny-ladeda.safetensors"), overwrite: true);
            File.Copy(Path.Combine(ladeda, EpochTrainer.ModelFile), Path.Combine(weightsFolder, "ladeda.safetensors"), overwrite: true);
            string curves = Path.Combine(weightsFolder, "training");
            Directory.CreateDirectory(curves);
            foreach (string run in runs)
            {
                string name = Path.GetFileName(run);
                File.Copy(Path.Combine(run, EpochTrainer.MetricsFile), Path.Combine(curves, $"{name}.csv"), overwrite: true);
                File.Copy(Path.Combine(run, EpochTrainer.CurvesFile), Path.Combine(curves, $"{name}.png"), overwrite: true);
            }
            string tinyKind = staged is null ? "distilled; the default since 2026-12-05 is also fine-tuned: add --extra" : "distilled, then fine-tuned on EXTRA";
            Console.WriteLine($"shipped: {weightsFolder}/tiny-ladeda.safetensors ({tinyKind}), {weightsFolder}/ladeda.safetensors (teacher, F16); curves and metrics in {curves}");
            return 0;
        }));
        return command;
    }

    /// <summary>Runs one training command into <paramref name="folder"/>, unless its model exists; resumes from its checkpoint when there is one.</summary>
    private static void Step(string command, string folder, string[] arguments)
    {
        if (File.Exists(Path.Combine(folder, EpochTrainer.ModelFile)))
        {
            Console.WriteLine($"== {command} {folder}: model.safetensors exists, skipped");
            return;
        }
        string checkpoint = Path.Combine(folder, EpochTrainer.CheckpointFile);
        string[] args = [command, "--out", folder, .. arguments, .. (File.Exists(checkpoint) ? new[] { "--resume", checkpoint } : [])];
        Console.WriteLine("== FastLaDeDa.Training " + string.Join(' ', args));
        int rc = TrainingCli.Create().Parse(args).Invoke();
        if (rc != 0) throw new IOException($"{command} into {folder} failed (exit code {rc})");
    }
}
