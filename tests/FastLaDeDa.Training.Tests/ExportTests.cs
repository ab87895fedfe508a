using FastLaDeDa.Detection;
using FastLaDeDa.Errors;
using FastLaDeDa.Imaging;
using FastLaDeDa.Models;
using FastLaDeDa.Preprocessing;
using FastLaDeDa.Tests.Support;
using FastLaDeDa.Training.Export;
using FastLaDeDa.Training.Models;
using FastLaDeDa.Training.Tests.Support;
using FastLaDeDa.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace FastLaDeDa.Training.Tests;

/// <summary>Loading state dicts into the TorchSharp models and exporting them to safetensors the inference engine reads.</summary>
public class ExportTests
{
    /// <summary>A trained-looking Tiny-LaDeDa exported from TorchSharp scores images in <see cref="Detector"/> as it does in TorchSharp.</summary>
    [Theory]
    [InlineData(PreprocessKind.RightDiag, PoolingKind.Mean)]
    [InlineData(PreprocessKind.Npr, PoolingKind.Max)]
    public void Tiny_export_loads_into_the_detector_with_the_same_scores(PreprocessKind preprocess, PoolingKind pooling)
    {
        torch.manual_seed(11);
        using var net = TorchTestNets.Randomize(new TinyLaDeDaNet(preprocess), seed: 12);
        using var temp = new TempDirectory();
        string path = temp.File("tiny.safetensors");
        TorchStateDict.Save(net, path, pooling, extraMetadata: [new("trained_on", "unit test")]);

        var saved = SafeTensors.Read(path);
        Assert.Equal("tiny_ladeda", saved.Metadata["model"]);
        Assert.Equal(preprocess.ToName(), saved.Metadata["preprocess"]);
        Assert.Equal(ModelMetadata.PoolingName(pooling), saved.Metadata["pooling"]);
        Assert.Equal("unit test", saved.Metadata["trained_on"]);

        using var detector = Detector.Load(path);
        Assert.Equal(new ModelMetadata(ModelKind.TinyLaDeDa, preprocess, pooling), detector.Metadata);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor pixels = TorchTestNets.RandomPixels(3, 256, 256, seed: 13);
        Tensor maps = net.forward(TorchPreprocessing.Normalize(pixels));
        float[] logits = PatchLogitNet.Pool(maps, pooling).data<float>().ToArray();
        float[] scale = maps.abs().flatten(1).amax([1]).data<float>().ToArray();
        byte[] bytes = pixels.data<byte>().ToArray();
        for (int n = 0; n < 3; n++)
        {
            var image = new Rgb24Image(256, 256, bytes[(n * 256 * 256 * 3)..((n + 1) * 256 * 256 * 3)]);
            double score = detector.Score(image).Logit;
            Assert.True(Math.Abs(score - logits[n]) <= 1e-5 * Math.Max(1, scale[n]), $"image {n}: detector {score}, TorchSharp {logits[n]}");
        }
    }

    [SkippableFact]
    public void Official_checkpoint_round_trips_bit_for_bit()
    {
        var dict = PthCheckpoint.Read(Goldens.OfficialCheckpoint("WildRF_Tiny_LaDeDa.pth"));
        using var net = TorchStateDict.LoadTiny(dict);
        StateDict exported = TorchStateDict.Export(net);
        Assert.Equal(dict.Tensors.Keys.Order(StringComparer.Ordinal), exported.Tensors.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, tensor) in dict.Tensors)
        {
            Assert.Equal(tensor.DType, exported.Tensors[name].DType);
            Assert.Equal(tensor.Shape.ToArray(), exported.Tensors[name].Shape.ToArray());
            Assert.True(tensor.Bytes.SequenceEqual(exported.Tensors[name].Bytes), name);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void LaDeDa_export_reloads_with_its_receptive_field_and_values(bool float16)
    {
        torch.manual_seed(17);
        using var net = TorchTestNets.Randomize(new LaDeDaNet(17, PreprocessKind.NprTwoThirds), seed: 18);
        using var temp = new TempDirectory();
        string path = temp.File("ladeda.safetensors");
        TorchStateDict.Save(net, path, float16: float16);

        StateDict saved = WeightsFile.Load(path);
        Assert.Equal("ladeda", saved.Metadata["model"]);
        Assert.Equal("17", saved.Metadata[LaDeDaSpec.ReceptiveFieldMetadataKey]);
        Assert.Equal("npr_2_3", saved.Metadata["preprocess"]);
        Assert.Equal(float16 ? TensorDType.Float16 : TensorDType.Float32, saved.Tensors["layer3.0.conv2.weight"].DType);
        Assert.Equal(TensorDType.Float32, saved.Tensors["layer3.0.bn2.running_var"].DType);
        Assert.Equal(TensorDType.Int64, saved.Tensors["bn1.num_batches_tracked"].DType);

        using var reloaded = TorchStateDict.LoadLaDeDa(saved);
        Assert.Equal(17, reloaded.ReceptiveField);
        Assert.Equal(PreprocessKind.NprTwoThirds, reloaded.Preprocess);
        var original = net.state_dict();
        var learnable = net.named_parameters().Select(p => p.name).ToHashSet();
        using var scope = NewDisposeScope();
        foreach (var (name, value) in reloaded.state_dict())
        {
            Tensor expected = float16 && learnable.Contains(name) ? original[name].to_type(ScalarType.Float16).to_type(ScalarType.Float32) : original[name];
            Assert.Equal(expected.shape, value.shape);
            Assert.True(expected.equal(value).all().item<bool>(), name);
        }
    }

    [Fact]
    public void Receptive_field_is_read_from_the_shapes_when_there_is_no_metadata()
    {
        foreach (int rf in new[] { 5, 33 }) // the library's tests cover every receptive field; here the load path
        {
            using var net = new LaDeDaNet(rf);
            var bare = new StateDict(TorchStateDict.Export(net).Tensors);
            Assert.Equal(rf, LaDeDaSpec.ReceptiveFieldOf(bare));
            using var loaded = TorchStateDict.LoadLaDeDa(bare);
            Assert.Equal(rf, loaded.ReceptiveField);
        }
    }

    [Fact]
    public void A_mismatched_state_dict_is_refused_with_every_problem_listed()
    {
        var tensors = RandomTiny.Tensors(1);
        tensors.Remove("layer1.0.bn2.running_var");
        tensors["extra.weight"] = TensorData.FromFloat32([1f], 1);
        tensors["fc.weight"] = TensorData.FromFloat32(new float[16], 1, 16);
        using var net = new TinyLaDeDaNet();
        var error = Assert.Throws<ModelMismatchException>(() => TorchStateDict.Load(net, new StateDict(tensors, null, "bad.safetensors")));
        Assert.Contains("bad.safetensors", error.Message);
        Assert.Contains("missing 1 (layer1.0.bn2.running_var)", error.Message);
        Assert.Contains("unexpected 1 (extra.weight)", error.Message);
        Assert.Contains("fc.weight is [1, 16], expected [1, 8]", error.Message);
    }

    [Fact]
    public void Another_architecture_or_receptive_field_is_refused()
    {
        using var tiny = new TinyLaDeDaNet();
        using var ladeda9 = new LaDeDaNet(9);
        StateDict ladedaDict = TorchStateDict.Export(ladeda9);
        Assert.Contains("holds a ladeda model", Assert.Throws<ModelMismatchException>(() => TorchStateDict.Load(tiny, ladedaDict)).Message);
        using var ladeda5 = new LaDeDaNet(5);
        Assert.Contains("holds LaDeDa9, not LaDeDa5", Assert.Throws<ModelMismatchException>(() => TorchStateDict.Load(ladeda5, ladedaDict)).Message);
        // The detector runs an exported LaDeDa file, and says so when Tiny-LaDeDa was expected.
        using (var detector = Detector.FromStateDict(ladedaDict)) Assert.Equal(ModelKind.LaDeDa, detector.Metadata.Model);
        Assert.Contains("holds ladeda", Assert.Throws<ModelMismatchException>(() => Detector.FromStateDict(ladedaDict, new DetectorOptions { Model = ModelKind.TinyLaDeDa })).Message);
    }

    [Fact]
    public void Non_finite_weights_are_refused()
    {
        var tensors = RandomTiny.Tensors(2);
        tensors["conv2.weight"] = TensorData.FromFloat32([.. Enumerable.Repeat(float.NaN, 8 * 8 * 9)], 8, 8, 3, 3);
        using var net = new TinyLaDeDaNet();
        Assert.Contains("non-finite", Assert.Throws<WeightsFormatException>(() => TorchStateDict.Load(net, new StateDict(tensors))).Message);
    }
}
