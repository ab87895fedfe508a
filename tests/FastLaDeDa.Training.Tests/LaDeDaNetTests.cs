using FastLaDeDa.Models;
using FastLaDeDa.Preprocessing;
using FastLaDeDa.Training.Models;
using FastLaDeDa.Training.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace FastLaDeDa.Training.Tests;

/// <summary>TorchSharp LaDeDa: names, shapes and parameter counts against <see cref="LaDeDaSpec"/>, map sizes, and the receptive field measured by autograd.</summary>
public class LaDeDaNetTests
{
    public static TheoryData<int> ReceptiveFields() => [.. LaDeDaSpec.ReceptiveFields];

    [Theory]
    [MemberData(nameof(ReceptiveFields))]
    public void Has_the_spec_names_shapes_and_parameter_count(int receptiveField)
    {
        using var net = new LaDeDaNet(receptiveField);
        var spec = LaDeDaSpec.ForReceptiveField(receptiveField);
        var stateDict = net.state_dict();
        Assert.Equal(spec.Tensors.Select(s => s.Name).Order(StringComparer.Ordinal), stateDict.Keys.Order(StringComparer.Ordinal));
        foreach (var t in spec.Tensors)
            Assert.Equal(t.Shape.Select(d => (long)d), stateDict[t.Name].shape);
        Assert.Equal(spec.ParameterCount, net.ParameterCount());
        if (receptiveField == 9) Assert.Equal(13_641_793, net.ParameterCount());
    }

    [Fact]
    public void LaDeDa9_maps_256_to_31x31_and_224_to_27x27()
    {
        using var net = new LaDeDaNet();
        net.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Assert.Equal([1, 1, 31, 31], net.forward(zeros(1, 3, 256, 256)).shape);
        Assert.Equal([1, 1, 27, 27], net.forward(zeros(1, 3, 224, 224)).shape);
    }

    /// <summary>
    /// The input pixels that influence one patch logit, found with autograd on random weights, form
    /// exactly the window [8i, 8i + RF) × [8j, 8j + RF): this checks the receptive field, the total
    /// stride of 8, the unpadded convolutions and the bottom/right crop of the residuals (a centred
    /// crop would shift the window). Raw preprocessing, so the filter adds no reach of its own.
    /// </summary>
    [Theory]
    [MemberData(nameof(ReceptiveFields))]
    public void One_patch_logit_sees_exactly_its_receptive_field(int receptiveField)
    {
        torch.manual_seed(receptiveField);
        using var net = TorchTestNets.Randomize(new LaDeDaNet(receptiveField, PreprocessKind.Raw), seed: receptiveField);
        foreach (var p in net.parameters()) p.requires_grad = false; // only the input's gradient is needed
        using var scope = NewDisposeScope();
        const int i = 2, j = 1;
        int size = LaDeDaSpec.Stride * (i + 1) + receptiveField; // room for cell (2, 1) and one more row and column
        Tensor input = randn([1, 3, size, size], generator: new Generator(5)).requires_grad_();
        Tensor map = net.forward(input);
        int mapSize = net.MapSize(size);
        Assert.Equal([1, 1, mapSize, mapSize], map.shape);
        map[0, 0, i, j].backward();

        Tensor influence = input.grad!.abs().sum([0, 1]); // [H, W]
        long[] rows = influence.sum([1]).nonzero().flatten().data<long>().ToArray();
        long[] cols = influence.sum([0]).nonzero().flatten().data<long>().ToArray();
        Assert.Equal(Enumerable.Range(LaDeDaSpec.Stride * i, receptiveField).Select(v => (long)v), rows);
        Assert.Equal(Enumerable.Range(LaDeDaSpec.Stride * j, receptiveField).Select(v => (long)v), cols);
    }

    [Theory]
    [InlineData(5, 41)]
    [InlineData(17, 50)]
    [InlineData(33, 47)]
    public void Map_size_of_odd_and_even_inputs_follows_the_spec(int receptiveField, int size)
    {
        using var net = new LaDeDaNet(receptiveField);
        net.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        int expected = LaDeDaSpec.ForReceptiveField(receptiveField).MapSize(size);
        Assert.Equal([1, 1, expected, expected], net.forward(zeros(1, 3, size, size)).shape);
    }
}
