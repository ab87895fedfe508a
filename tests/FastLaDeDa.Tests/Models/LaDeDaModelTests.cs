using FastLaDeDa.Errors;
using FastLaDeDa.Models;
using FastLaDeDa.Tests.Support;
using FastLaDeDa.Weights;

namespace FastLaDeDa.Tests.Models;

public class LaDeDaModelTests
{
    [Fact]
    public void Work_per_image_matches_the_spec_table()
    {
        var model = LaDeDaModel.FromStateDict(RandomLaDeDa.StateDict(1));
        // MODEL.md: 20.97 G as written and 18.69 G with the stem fused at 256²; 15.93 G at 224².
        Assert.Equal(20.97, model.MultiplyAdds(256, 256, fusedStem: false) / 1e9, 2);
        Assert.Equal(18.69, model.MultiplyAdds(256, 256, fusedStem: true) / 1e9, 2);
        Assert.Equal(15.93, model.MultiplyAdds(224, 224, fusedStem: false) / 1e9, 2);
        Assert.Equal(31, model.MapSize(256));
        Assert.Equal(27, model.MapSize(224));
    }

    [Fact]
    public void Blocks_have_the_architecture_s_shapes_and_residual_crops()
    {
        var model = LaDeDaModel.FromStateDict(RandomLaDeDa.StateDict(2));
        var graph = model.Spec.Graph;
        Assert.Equal([3, 4, 6, 3], graph.Nodes.Where(n => n.LocalName == "conv3").GroupBy(n => n.Block![..6]).Select(g => g.Count()));
        LaDeDaNode Node(string name) => graph.Nodes.Single(n => n.Name == name);
        var first = Node("layer1.0.conv2");
        Assert.Equal((3, 2), (model.Conv(first).Kernel, model.Conv(first).Stride));
        // 254 (after the stem) → main path (254 − 3)/2 + 1 = 126, residual (254 − 1)/2 + 1 = 127: cropped by one.
        int[] sizes = graph.Sizes(256);
        Assert.Equal(126, sizes[Node("layer1.0.conv3").Output]);
        Assert.Equal(127, sizes[Node("layer1.0.downsample").Output]);
        Assert.Equal(Node("layer1.0.downsample").Output, Node("layer1.0.conv3").Residual);
        Assert.Equal((1, 2), (model.Conv(Node("layer3.0.conv2")).Kernel, model.Conv(Node("layer3.0.conv2")).Stride)); // LaDeDa9: layer3 all 1×1
        Assert.DoesNotContain(graph.Nodes, n => n.Name == "layer2.1.downsample");
        Assert.Equal(Node("layer2.0.conv3").Output, Node("layer2.1.conv3").Residual); // identity residual: the block input
        Assert.Equal(2048, model.Conv(Node("layer4.2.conv3")).OutChannels);
    }

    [Fact]
    public void The_fused_stem_equals_conv1_then_conv2()
    {
        var model = LaDeDaModel.FromStateDict(RandomLaDeDa.StateDict(3));
        var rng = new Random(4);
        var patch = new double[3, 3, 3]; // [c][ky][kx]
        foreach (int c in new[] { 0, 1, 2 }) for (int y = 0; y < 3; y++) for (int x = 0; x < 3; x++) patch[c, y, x] = rng.NextDouble() * 4 - 2;
        for (int o = 0; o < 64; o += 7)
        {
            double sequential = 0, fused = 0;
            for (int k = 0; k < 9; k++)
            {
                for (int i = 0; i < 64; i++)
                {
                    double conv1 = 0;
                    for (int c = 0; c < 3; c++) conv1 += model.StemConv1.Weights[i * 3 + c] * patch[c, k / 3, k % 3];
                    sequential += model.StemConv2.Weights[(o * 64 + i) * 9 + k] * conv1;
                }
                for (int c = 0; c < 3; c++) fused += model.FusedStem.Weights[(o * 3 + c) * 9 + k] * patch[c, k / 3, k % 3];
            }
            Assert.Equal(sequential, fused, 5);
        }
    }

    [Theory]
    [InlineData(5)]
    [InlineData(17)]
    [InlineData(33)]
    public void Other_receptive_fields_are_read_from_the_metadata(int receptiveField)
    {
        var model = LaDeDaModel.FromStateDict(RandomLaDeDa.StateDict(5, receptiveField));
        Assert.Equal(receptiveField, model.Spec.ReceptiveField);
    }

    [Fact]
    public void A_tiny_state_dict_is_not_a_ladeda()
    {
        var ex = Assert.Throws<ModelMismatchException>(() => LaDeDaModel.FromStateDict(RandomTiny.StateDict(6)));
        Assert.Contains("state dict", ex.Message);
        Assert.Contains("not a LaDeDa", ex.Message);
        Assert.Contains("missing", ex.Message);
    }
}
