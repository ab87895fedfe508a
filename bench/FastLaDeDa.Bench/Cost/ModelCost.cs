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

    public static IReadOnlyList<LayerCost> Tiny(int size = 256)
    {
        int s1 = size - 2, s2 = TinyLaDeDaModel.MapSize(size);
        long Bn(int c, int s) => 4L * c * s * s;
        return
        [
            new(TinyFilterLayer, $"3×{size}×{size}", 6L * 3 * size * size, 6L * 3 * size * size, 0, 0),
            new("conv1 1×1 3→8", $"8×{size}×{size}", 8L * 3 * size * size, 0, 24, 8L * 3 * size * size),
            new("conv2 3×3 8→8 (+conv1 fused: 3→8)", $"8×{s1}×{s1}", 8L * 8 * 9 * s1 * s1, 8L * 3 * 9 * s1 * s1, 576, 8L * 8 * 9 * s1 * s1),
            new("bn1", $"8×{s1}×{s1}", 0, 0, 16, Bn(8, s1)),
            new("layer1.0.conv1 1×1 8→8", $"8×{s1}×{s1}", 64L * s1 * s1, 64L * s1 * s1, 64, 64L * s1 * s1),
            new("layer1.0.bn1", $"8×{s1}×{s1}", 0, 0, 16, Bn(8, s1)),
            new("layer1.0.conv2 3×3/2 8→8", $"8×{s2}×{s2}", 576L * s2 * s2, 576L * s2 * s2, 576, 576L * s2 * s2),
            new("layer1.0.bn2", $"8×{s2}×{s2}", 0, 0, 16, Bn(8, s2)),
            new("fc 8→1", $"1×{s2}×{s2}", 8L * s2 * s2, 8L * s2 * s2, 9, 8L * s2 * s2 + (long)s2 * s2),
        ];
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
        long Params(LaDeDaNode n) => (long)n.OutChannels * n.InChannels * n.Kernel * n.Kernel + (n.BatchNorm is null ? 0 : 2L * n.OutChannels);
        long Bn(LaDeDaNode n) => n.BatchNorm is null ? 0 : 4L * n.OutChannels * sizes[n.Output] * sizes[n.Output];
        string Shape(LaDeDaNode n) => $"{n.OutChannels}×{sizes[n.Output]}×{sizes[n.Output]}";

        var rows = new List<LayerCost>();
        var stem = graph.Nodes.Where(n => n.Block is null).ToList();
        var fusedStem = spec.FusedGraph.Nodes.Single(n => n.Block is null);
        foreach (var n in stem)
        {
            // The engines run the stem as one fused node: its work is counted on the last stem row.
            long executed = n == stem[^1] ? Macs(fusedStem, fusedSizes) : 0;
            string label = $"{n.Name} {n.Kernel}×{n.Kernel} {n.InChannels}→{n.OutChannels}"
                + (n == stem[^1] && stem.Count > 1 ? $" (+{stem[0].Name} fused: {fusedStem.InChannels}→{fusedStem.OutChannels})" : "")
                + (n.BatchNorm is { } bn ? $" + {bn}" : "");
            rows.Add(new(label, Shape(n), Macs(n, sizes), executed, Params(n), Macs(n, sizes) + Bn(n)));
        }
        foreach (var block in graph.Nodes.Where(n => n.Block is not null).GroupBy(n => n.Block!))
        {
            long macs = block.Sum(n => Macs(n, sizes));
            rows.Add(new($"{block.Key} (k{block.Max(n => n.Kernel)}/s{block.Max(n => n.Stride)})", Shape(block.Last()), macs, macs,
                block.Sum(Params), macs + block.Sum(Bn)));
        }
        int map = sizes[graph.Output], c = graph.FeatureChannels;
        rows.Add(new($"fc {c}→1", $"1×{map}×{map}", (long)c * map * map, (long)c * map * map, c + 1, (long)c * map * map + (long)map * map));
        return rows;
    }
}
