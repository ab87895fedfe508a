using FastLaDeDa.Models;

namespace FastLaDeDa.Bench.Cost;

/// <summary>
/// Per-layer work of Tiny-LaDeDa and LaDeDa from the model descriptions. "Written" counts every
/// convolution and the fc head as the architecture has them (the gradient filter included for
/// Tiny: 6 non-zero taps per pixel and channel); "executed" is what our engines do after fusing
/// conv1 into the stem's 3×3 conv; "thop" follows the paper's counter (BatchNorm as 4 operations
/// per element, the gradient filter not counted) so its "375× fewer FLOPs" can be checked.
/// </summary>
internal static class ModelCost
{
    /// <summary>The <see cref="LayerCost.Layer"/> of Tiny's gradient-filter row, which the report leaves out of the other engines' as-written totals.</summary>
    public const string TinyFilterLayer = "right_diag (3×3 depthwise)";

    /// <summary>
    /// Tiny-LaDeDa's rows from its graph (<see cref="TinyLaDeDaModel.Graph"/>): the gradient filter,
    /// each convolution (the stem's conv1 executed inside conv2), each BatchNorm, the fc head.
    /// </summary>
    public static IReadOnlyList<LayerCost> Tiny(int size = 256)
    {
        var graph = TinyLaDeDaModel.Graph;
        int[] sizes = graph.Sizes(size);
        var stem = graph.Nodes.Where(n => n.Block is null).ToList();
        var rows = new List<LayerCost> { new(TinyFilterLayer, $"3×{size}×{size}", 6L * 3 * size * size, 6L * 3 * size * size, 0, 0) };
        foreach (var n in graph.Nodes)
        {
            int s = sizes[n.Output];
            long macs = n.MultiplyAdds(s, s);
            // The engines run the stem as one k×k conv on the input channels: its work is counted on the last stem row.
            long executed = n == stem[^1] ? (long)n.OutChannels * stem[0].InChannels * n.Kernel * n.Kernel * s * s : stem.Contains(n) ? 0 : macs;
            rows.Add(new(ConvLabel(n, stem), Shape(n.OutChannels, s), macs, executed, Weights(n), macs));
            if (n.BatchNorm is { } bn) rows.Add(new(bn, Shape(n.OutChannels, s), 0, 0, 2L * n.OutChannels, 4L * n.OutChannels * s * s));
        }
        rows.Add(Fc(graph.FeatureChannels, sizes[graph.Output]));
        return rows;
    }

    /// <summary>
    /// LaDeDa's rows from its graph (<see cref="LaDeDaSpec.Graph"/>): the stem's two convolutions (the
    /// executed count from <see cref="LaDeDaSpec.FusedGraph"/>'s fused stem), one row per bottleneck
    /// (its nodes summed), the fc head.
    /// </summary>
    public static IReadOnlyList<LayerCost> LaDeDa(LaDeDaSpec spec, int size = 256)
    {
        var graph = spec.Graph;
        int[] sizes = graph.Sizes(size);
        int[] fusedSizes = spec.FusedGraph.Sizes(size);
        long Macs(LaDeDaNode n, int[] at) => n.MultiplyAdds(at[n.Output], at[n.Output]);
        long Params(LaDeDaNode n) => Weights(n) + (n.BatchNorm is null ? 0 : 2L * n.OutChannels);
        long Bn(LaDeDaNode n) => n.BatchNorm is null ? 0 : 4L * n.OutChannels * sizes[n.Output] * sizes[n.Output];
        string NodeShape(LaDeDaNode n) => Shape(n.OutChannels, sizes[n.Output]);

        var rows = new List<LayerCost>();
        var stem = graph.Nodes.Where(n => n.Block is null).ToList();
        var fusedStem = spec.FusedGraph.Nodes.Single(n => n.Block is null);
        foreach (var n in stem)
        {
            // The engines run the stem as one fused node: its work is counted on the last stem row.
            long executed = n == stem[^1] ? Macs(fusedStem, fusedSizes) : 0;
            string label = ConvLabel(n, stem) + (n.BatchNorm is { } bn ? $" + {bn}" : "");
            rows.Add(new(label, NodeShape(n), Macs(n, sizes), executed, Params(n), Macs(n, sizes) + Bn(n)));
        }
        foreach (var block in graph.Nodes.Where(n => n.Block is not null).GroupBy(n => n.Block!))
        {
            long macs = block.Sum(n => Macs(n, sizes));
            rows.Add(new($"{block.Key} (k{block.Max(n => n.Kernel)}/s{block.Max(n => n.Stride)})", NodeShape(block.Last()), macs, macs,
                block.Sum(Params), macs + block.Sum(Bn)));
        }
        rows.Add(Fc(graph.FeatureChannels, sizes[graph.Output]));
        return rows;
    }

    /// <summary>e.g. <c>layer1.0.conv2 3×3/2 8→8</c>; the stem's last convolution says that its first is fused into it.</summary>
    private static string ConvLabel(LaDeDaNode n, List<LaDeDaNode> stem) =>
        $"{n.Name} {n.Kernel}×{n.Kernel}{(n.Stride > 1 ? $"/{n.Stride}" : "")} {n.InChannels}→{n.OutChannels}"
        + (n == stem[^1] && stem.Count > 1 ? $" (+{stem[0].Name} fused: {stem[0].InChannels}→{n.OutChannels})" : "");

    private static long Weights(LaDeDaNode n) => (long)n.OutChannels * n.InChannels * n.Kernel * n.Kernel;

    private static string Shape(int channels, int size) => $"{channels}×{size}×{size}";

    /// <summary>The head: fc c→1 at every map position (thop adds its bias per position).</summary>
    private static LayerCost Fc(int c, int map) =>
        new($"fc {c}→1", $"1×{map}×{map}", (long)c * map * map, (long)c * map * map, c + 1, (long)c * map * map + (long)map * map);
}
