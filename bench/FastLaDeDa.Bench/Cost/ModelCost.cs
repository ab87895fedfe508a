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

    public static IReadOnlyList<LayerCost> LaDeDa(LaDeDaModel model, int size = 256)
    {
        var rows = new List<LayerCost>();
        long Params(LaDeDaConv c) => (long)c.OutChannels * c.InChannels * c.Kernel * c.Kernel;
        long Bn(int c, int h) => 4L * c * h * h;
        int s = size - 2;
        rows.Add(new("conv1 1×1 3→64", $"64×{size}×{size}", model.StemConv1.MultiplyAdds(size, size), 0, Params(model.StemConv1), model.StemConv1.MultiplyAdds(size, size)));
        long stem = model.StemConv2.MultiplyAdds(s, s);
        rows.Add(new("conv2 3×3 64→64 (+conv1 fused: 3→64) + bn1", $"64×{s}×{s}", stem, model.FusedStem.MultiplyAdds(s, s), Params(model.StemConv2) + 128, stem + Bn(64, s)));
        foreach (var block in model.Blocks)
        {
            int o = block.OutputSize(s);
            long macs = block.Conv1.MultiplyAdds(s, s) + block.Conv2.MultiplyAdds(o, o) + block.Conv3.MultiplyAdds(o, o);
            long bn = Bn(block.Conv1.OutChannels, s) + Bn(block.Conv2.OutChannels, o) + Bn(block.Conv3.OutChannels, o);
            long parameters = Params(block.Conv1) + Params(block.Conv2) + Params(block.Conv3) + 2L * (block.Conv1.OutChannels + block.Conv2.OutChannels + block.Conv3.OutChannels);
            if (block.Downsample is { } d)
            {
                int r = block.ResidualSize(s);
                macs += d.MultiplyAdds(r, r);
                bn += Bn(d.OutChannels, r);
                parameters += Params(d) + 2L * d.OutChannels;
            }
            rows.Add(new($"{block.Name} (k{block.Conv2.Kernel}/s{block.Conv2.Stride})", $"{block.Conv3.OutChannels}×{o}×{o}", macs, macs, parameters, macs + bn));
            s = o;
        }
        rows.Add(new("fc 2048→1", $"1×{s}×{s}", 2048L * s * s, 2048L * s * s, 2049, 2048L * s * s + (long)s * s));
        return rows;
    }
}
