using FastLaDeDa.Errors;
using FastLaDeDa.Models;
using FastLaDeDa.Preprocessing;
using FastLaDeDa.Tests.Support;
using FastLaDeDa.Training.Export;
using FastLaDeDa.Training.Models;
using FastLaDeDa.Training.Tests.Support;
using FastLaDeDa.Training.Training;
using FastLaDeDa.Weights;
using TorchSharp;

namespace FastLaDeDa.Training.Tests;

/// <summary><c>--init</c>: a run starts from exported weights, and only from weights of its own model and preprocessing.</summary>
public class InitialWeightsTests
{
    /// <summary>A random Tiny-LaDeDa with <paramref name="preprocess"/>, exported to TEMP/NAME.</summary>
    private static string SavedRandomTiny(TempDirectory temp, string name, PreprocessKind preprocess, int seed)
    {
        torch.manual_seed(seed);
        using var net = TorchTestNets.Randomize(new TinyLaDeDaNet(preprocess), seed: seed + 1);
        string path = temp.File(name);
        TorchStateDict.Save(net, path, PoolingKind.Mean);
        return path;
    }

    [Fact]
    public void The_network_holds_exactly_the_files_tensors_after_init()
    {
        using var temp = new TempDirectory();
        string path = SavedRandomTiny(temp, "source.safetensors", PreprocessKind.RightDiag, 3);

        using var fresh = ResNetInitialization.Apply(new TinyLaDeDaNet(PreprocessKind.RightDiag));
        string sha = InitialWeights.Apply(fresh, path);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path))), sha);
        string again = temp.File("again.safetensors");
        TorchStateDict.Save(fresh, again, PoolingKind.Mean);
        var expected = SafeTensors.Read(path);
        var actual = SafeTensors.Read(again);
        Assert.Equal(expected.Tensors.Keys.Order(), actual.Tensors.Keys.Order());
        foreach (var (name, tensor) in expected.Tensors)
            Assert.True(tensor.Bytes.SequenceEqual(actual.Tensors[name].Bytes), name);
    }

    [Fact]
    public void Another_preprocessing_or_model_is_an_error_naming_the_file()
    {
        using var temp = new TempDirectory();
        string path = SavedRandomTiny(temp, "npr.safetensors", PreprocessKind.Npr, 5);

        using var rightDiag = new TinyLaDeDaNet(PreprocessKind.RightDiag);
        var wrongPreprocess = Assert.Throws<WeightsFormatException>(() => InitialWeights.Apply(rightDiag, path));
        Assert.Contains("npr.safetensors", wrongPreprocess.Message);
        Assert.Contains("the weights use npr preprocessing, the run right_diag (pass --preprocess npr)", wrongPreprocess.Message);

        using var ladeda = new LaDeDaNet(9, PreprocessKind.Npr);
        var wrongModel = Assert.Throws<ModelMismatchException>(() => InitialWeights.Apply(ladeda, path));
        Assert.Contains("npr.safetensors", wrongModel.Message);
    }
}
