using FastLaDeDa.Bench.Cost;
using FastLaDeDa.Engines.Cpu.LaDeDa;
using FastLaDeDa.Engines;
using FastLaDeDa.Engines.Cpu;
using FastLaDeDa.Imaging;
using FastLaDeDa.Interop.Onnx;
using FastLaDeDa.Models;
using FastLaDeDa.Preprocessing;
using FastLaDeDa.Tests.Interop;
using FastLaDeDa.Tests.Support;
using Xunit.Abstractions;

namespace FastLaDeDa.Tests.Models;

/// <summary>
/// Every receptive-field variant comes from one <see cref="LaDeDaGraph"/>: the graph has the field,
/// map size and checkpoint names the architecture says, and the reference engine, the CPU plan, the
/// ONNX export and the cost model all lower that same graph — so a variant is a spec, not an edit
/// in each of them.
/// </summary>
public class LaDeDaGraphTests(ITestOutputHelper output)
{
    public static TheoryData<int> ReceptiveFields => [5, 9, 17, 33];

    [Theory]
    [MemberData(nameof(ReceptiveFields))]
    public void The_graph_has_the_variant_s_field_map_size_and_checkpoint_names(int receptiveField)
    {
        var spec = LaDeDaSpec.ForReceptiveField(receptiveField);
        foreach (var graph in new[] { spec.Graph, spec.FusedGraph })
        {
            // The field, walked independently along every path: r grows by (k − 1) · jump, the jump by the stride.
            var (field, jump) = (new int[graph.Nodes.Count + 1], new int[graph.Nodes.Count + 1]);
            (field[0], jump[0]) = (1, 1);
            foreach (var n in graph.Nodes)
            {
                (field[n.Output], jump[n.Output]) = (field[n.Input] + (n.Kernel - 1) * jump[n.Input], jump[n.Input] * n.Stride);
                if (n.Residual >= 0) field[n.Output] = Math.Max(field[n.Output], field[n.Residual]);
            }
            Assert.Equal(receptiveField, field[graph.Output]);
            Assert.Equal(LaDeDaSpec.Stride, jump[graph.Output]);
            // 256 − 2 (stem) → layer1 3×3/2: 126 → layer2 /2 → layer3 /2 → layer4 /1, each 3×3 taking 2 more (MODEL.md: 31 for LaDeDa9).
            Assert.Equal(receptiveField switch { 5 => 32, 9 => 31, 17 => 30, _ => 28 }, graph.MapSize(256));
            Assert.All(graph.Nodes, n => Assert.True(n.Input < n.Output && n.Residual < n.Output, $"{n.Name} reads a later value"));
            Assert.All(graph.Nodes, n => Assert.Equal(graph.Channels(n.Input), n.InChannels));
            Assert.Equal(2048, graph.FeatureChannels);
        }

        // torchvision's ResNet-50 names (the official checkpoints'): stem conv1/conv2/bn1, layerL.B.convN/bnN, block 0's downsample.0/.1.
        var expected = new List<string> { "conv1.weight", "conv2.weight", "bn1" };
        int[] blocks = [3, 4, 6, 3];
        for (int l = 1; l <= 4; l++)
            for (int b = 0; b < blocks[l - 1]; b++)
            {
                for (int c = 1; c <= 3; c++) expected.AddRange([$"layer{l}.{b}.conv{c}.weight", $"layer{l}.{b}.bn{c}"]);
                if (b == 0) expected.AddRange([$"layer{l}.{b}.downsample.0.weight", $"layer{l}.{b}.downsample.1"]);
            }
        var named = spec.Graph.Nodes.SelectMany(n => n.BatchNorm is { } bn ? new[] { n.Weight, bn } : [n.Weight]);
        Assert.Equal(expected.Order(StringComparer.Ordinal), named.Order(StringComparer.Ordinal));
        // Every name is a tensor of the checkpoint format with the node's shape.
        foreach (var n in spec.Graph.Nodes)
        {
            Assert.Equal([n.OutChannels, n.InChannels, n.Kernel, n.Kernel], spec.Tensors.Single(t => t.Name == n.Weight).Shape);
            if (n.BatchNorm is { } bn) Assert.Equal([n.OutChannels], spec.Tensors.Single(t => t.Name == bn + ".running_var").Shape);
        }
        // Block 0's conv2 is 3×3 in the first 1, 2, 3 or 4 stages.
        int threes = Array.IndexOf([5, 9, 17, 33], receptiveField) + 1;
        for (int l = 1; l <= 4; l++)
            Assert.Equal(l <= threes ? 3 : 1, spec.Graph.Nodes.Single(n => n.Name == $"layer{l}.0.conv2").Kernel);
    }

    [Theory]
    [MemberData(nameof(ReceptiveFields))]
    public void The_reference_engine_the_cpu_plan_and_the_onnx_export_lower_the_same_graph(int receptiveField)
    {
        var model = LaDeDaModel.FromStateDict(RandomLaDeDa.StateDict(600 + receptiveField, receptiveField));
        int width = receptiveField + 9, height = receptiveField + 4;
        var image = RandomImages.Rgb(width, height, receptiveField);
        var reference = LaDeDaEngines.Reference.Prepare(model, PreprocessKind.Npr).RunMap(image);
        Assert.Equal((model.MapSize(width), model.MapSize(height)), (reference.Width, reference.Height));

        var network = LaDeDaCpuEngine.Best.WithMaxThreads(2).PrepareNetwork(model, PreprocessKind.Npr);
        double cpuError = Compare.RelativeMapError(reference, network.RunMap(image));
        var plan = LaDeDaCpuPlan.Build(new LaDeDaCpuWeights(model, PreprocessKind.Npr, 16), width, reference.Height);
        Assert.Equal(model.Spec.FusedGraph.Nodes.Select(n => n.Name), plan.Steps.Select(s => s.Name));

        var (onnxMap, _, _) = OnnxExportTests.RunOrt(OnnxExporter.Export(model, PreprocessKind.Npr, height, width), ImageNetNormalization.Normalize(image));
        double onnxError = Compare.RelativeError(reference.Logits, onnxMap);
        output.WriteLine($"LaDeDa{receptiveField} {width}x{height}: CPU vs reference {cpuError:E2}, ONNX vs reference {onnxError:E2}");
        Assert.True(cpuError <= 1e-4, $"CPU: {cpuError:E2}");
        Assert.True(onnxError <= 1e-4, $"ONNX: {onnxError:E2}");
    }

    [Theory]
    [MemberData(nameof(ReceptiveFields))]
    public void The_cost_model_counts_the_graph_s_work_and_parameters(int receptiveField)
    {
        var model = LaDeDaModel.FromStateDict(RandomLaDeDa.StateDict(700 + receptiveField, receptiveField));
        var rows = ModelCost.LaDeDa(model.Spec, 256);
        Assert.Equal(2 + 16 + 1, rows.Count);
        Assert.Equal(model.MultiplyAdds(256, 256, fusedStem: false), rows.Sum(r => r.WrittenMacs));
        Assert.Equal(model.MultiplyAdds(256, 256, fusedStem: true), rows.Sum(r => r.ExecutedMacs));
        Assert.Equal(model.Spec.ParameterCount, rows.Sum(r => r.Parameters));
        int map = model.MapSize(256);
        Assert.Equal($"1×{map}×{map}", rows[^1].Output);
    }

    [Fact]
    public void Tiny_LaDeDa_has_a_graph_too_with_its_checkpoint_names_and_map_sizes()
    {
        var graph = TinyLaDeDaModel.Graph;
        Assert.Equal(["conv1", "conv2", "layer1.0.conv1", "layer1.0.conv2"], graph.Nodes.Select(n => n.Name));
        foreach (var n in graph.Nodes)
        {
            Assert.Equal([n.OutChannels, n.InChannels, n.Kernel, n.Kernel], TinyLaDeDaModel.Spec.Single(t => t.Name == n.Weight).Shape);
            if (n.BatchNorm is { } bn) Assert.Contains(TinyLaDeDaModel.Spec, t => t.Name == bn + ".running_mean");
        }
        // MODEL.md: stem 3×3 and strided 3×3/2 after the 3×3 gradient filter: (size − 5) / 2 + 1, 126 for 256.
        foreach (int size in new[] { 4, 5, 6, 7, 8, 31, 256 })
            Assert.Equal(size < 5 ? 0 : (size - 5) / 2 + 1, TinyLaDeDaModel.MapSize(size));
        Assert.Equal(TinyLaDeDaModel.Channels, graph.FeatureChannels);
    }

    [Fact]
    public void Tiny_s_cost_rows_come_from_its_graph()
    {
        var rows = ModelCost.Tiny(256);
        Assert.Equal([ModelCost.TinyFilterLayer, "conv1 1×1 3→8", "conv2 3×3 8→8 (+conv1 fused: 3→8)", "bn1", "layer1.0.conv1 1×1 8→8", "layer1.0.bn1",
                      "layer1.0.conv2 3×3/2 8→8", "layer1.0.bn2", "fc 8→1"], rows.Select(r => r.Layer));
        // Written by hand from MODEL.md: stem (conv1 fused, 3→8, 3×3) on 254², pointwise on 254², strided on 126², fc on 126².
        Assert.Equal(254L * 254 * 8 * 27 + 254L * 254 * 64 + 126L * 126 * 8 * 72 + 126L * 126 * 8, rows.Skip(1).Sum(r => r.ExecutedMacs));
        Assert.Equal(256L * 256 * 24 + 254L * 254 * 576 + 254L * 254 * 64 + 126L * 126 * 576 + 126L * 126 * 8, rows.Skip(1).Sum(r => r.WrittenMacs));
        Assert.Equal(1297, rows.Sum(r => r.Parameters)); // the model card's count
    }
}
