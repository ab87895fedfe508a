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
    [Fact]
    public void The_network_holds_exactly_the_files_tensors_after_init()
    {
        using var temp = new TempDirectory();
        torch.manual_seed(3);
        using var source = TorchTestNets.Randomize(new TinyLaDeDaNet(PreprocessKind.RightDiag), seed: 4);
        string path = temp.File("source.safetensors");
        TorchStateDict.Save(source, path, PoolingKind.Mean);

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
        torch.manual_seed(5);
        using var npr = TorchTestNets.Randomize(new TinyLaDeDaNet(PreprocessKind.Npr), seed: 6);
        string path = temp.File("npr.safetensors");
        TorchStateDict.Save(npr, path, PoolingKind.Mean);

        using var rightDiag = new TinyLaDeDaNet(PreprocessKind.RightDiag);
        var wrongPreprocess = Assert.Throws<WeightsFormatException>(() => InitialWeights.Apply(rightDiag, path));
        Assert.Contains("npr.safetensors", wrongPreprocess.Message);
        Assert.Contains("the weights use npr preprocessing, the run right_diag (pass --preprocess npr)", wrongPreprocess.Message);

        using var ladeda = new LaDeDaNet(9, PreprocessKind.Npr);
        var wrongModel = Assert.Throws<ModelMismatchException>(() => InitialWeights.Apply(ladeda, path));
        Assert.Contains("npr.safetensors", wrongModel.Message);
    }
}
