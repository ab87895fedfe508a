using FastLaDeDa.Errors;
using FastLaDeDa.Models;
using FastLaDeDa.Weights;

namespace FastLaDeDa.Tests.Models;

public class LaDeDaSpecTests
{
    private static long Count(IEnumerable<TensorSpec> specs) => specs.Sum(s => s.Shape.Aggregate(1L, (a, b) => a * b));

    [Fact]
    public void LaDeDa9_has_13641793_learnable_parameters_split_as_in_MODEL_md()
    {
        var spec = LaDeDaSpec.ForReceptiveField(9);
        Assert.Equal(13_641_793, spec.ParameterCount);
        var learnable = spec.Tensors.Where(t => LaDeDaSpec.IsLearnable(t.Name)).ToList();
        Assert.Equal(13_588_673, Count(learnable.Where(t => t.Name.EndsWith("conv1.weight") || t.Name.EndsWith("conv2.weight")
            || t.Name.EndsWith("conv3.weight") || t.Name.StartsWith("fc.") || t.Name.EndsWith("downsample.0.weight"))));
        Assert.Equal(53_120, Count(learnable.Where(t => t.Name.Contains(".bn") || t.Name.StartsWith("bn1.") || t.Name.Contains("downsample.1."))));
    }

    [Theory]
    [InlineData(5, "layer1.0")]
    [InlineData(9, "layer1.0,layer2.0")]
    [InlineData(17, "layer1.0,layer2.0,layer3.0")]
    [InlineData(33, "layer1.0,layer2.0,layer3.0,layer4.0")]
    public void Only_the_named_block_0_convolutions_are_3x3(int receptiveField, string threeByThree)
    {
        var spec = LaDeDaSpec.ForReceptiveField(receptiveField);
        var expected = threeByThree.Split(',').Select(b => b + ".conv2.weight").Prepend("conv2.weight");
        Assert.Equal(expected, spec.Tensors.Where(t => t.Shape.Length == 4 && t.Shape[2] == 3).Select(t => t.Name));
        Assert.Equal(321, spec.Tensors.Count); // 53 convs + 53 BNs × 5 + fc weight and bias
        Assert.Equal(Enumerable.Range(1, 4).Select(l => $"layer{l}.0.downsample.0.weight"), spec.Tensors.Where(t => t.Name.EndsWith("downsample.0.weight")).Select(t => t.Name));
    }

    [Theory]
    [InlineData(9, 256, 31)]
    [InlineData(9, 224, 27)]
    [InlineData(9, 9, 1)]
    [InlineData(9, 8, 0)]
    [InlineData(5, 256, 32)]
    [InlineData(17, 256, 30)]
    [InlineData(33, 256, 28)]
    [InlineData(33, 33, 1)]
    [InlineData(33, 32, 0)]
    public void Map_size_follows_receptive_field_and_stride(int receptiveField, int input, int expected)
    {
        var spec = LaDeDaSpec.ForReceptiveField(receptiveField);
        Assert.Equal(expected, spec.MapSize(input));
        // Cell i sees rows 8i .. 8i + RF − 1, so the map has ⌊(input − RF) / 8⌋ + 1 cells.
        Assert.Equal(input < receptiveField ? 0 : (input - receptiveField) / LaDeDaSpec.Stride + 1, spec.MapSize(input));
    }

    [Fact]
    public void Unknown_receptive_fields_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LaDeDaSpec.ForReceptiveField(7));
        var dict = new StateDict([], new Dictionary<string, string> { [LaDeDaSpec.ReceptiveFieldMetadataKey] = "7" }, "x.safetensors");
        Assert.Contains("receptive_field", Assert.Throws<WeightsFormatException>(() => LaDeDaSpec.ReceptiveFieldOf(dict)).Message);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(9)]
    [InlineData(17)]
    [InlineData(33)]
    public void Receptive_field_is_read_from_metadata_or_conv_shapes(int receptiveField)
    {
        var shapes = LaDeDaSpec.ForReceptiveField(receptiveField).Tensors
            .Where(t => t.Name.StartsWith("layer") && t.Name.Contains(".0.conv2"))
            .ToDictionary(t => t.Name, t => new TensorData(TensorDType.Float32, t.Shape, new byte[4 * t.Shape.Aggregate(1, (a, b) => a * b)]));
        Assert.Equal(receptiveField, LaDeDaSpec.ReceptiveFieldOf(new StateDict(shapes)));
        var metadata = new Dictionary<string, string> { [LaDeDaSpec.ReceptiveFieldMetadataKey] = receptiveField.ToString() };
        Assert.Equal(receptiveField, LaDeDaSpec.ReceptiveFieldOf(new StateDict([], metadata)));
        Assert.Equal(LaDeDaSpec.DefaultReceptiveField, LaDeDaSpec.ReceptiveFieldOf(new StateDict([])));
    }
}
