using FastLaDeDa.Models;
using FastLaDeDa.Preprocessing;

namespace FastLaDeDa.Engines.Cpu;

/// <summary>
/// A <see cref="LaDeDaModel"/> packed once for one micro-kernel width: the fused stem and every
/// bottleneck's convolutions as <see cref="LaDeDaPackedConv"/>, plus the fc head. Activations are
/// stored with <see cref="Pitch"/> floats per pixel (channels rounded up to whole panels; equal to
/// the channel count for every LaDeDa layer), the stem's input with 3.
/// </summary>
internal sealed class LaDeDaCpuWeights
{
    public LaDeDaCpuWeights(LaDeDaModel model, PreprocessKind preprocess, int panelWidth)
    {
        Model = model;
        Preprocess = preprocess;
        PanelWidth = panelWidth;
        Stem = new LaDeDaPackedConv(model.FusedStem, panelWidth, inputPitch: 3);
        var blocks = new List<Block>();
        foreach (var block in model.Blocks)
        {
            int inPitch = Pitch(block.Conv1.InChannels), width = Pitch(block.Conv1.OutChannels);
            blocks.Add(new Block(block.Name,
                new LaDeDaPackedConv(block.Conv1, panelWidth, inPitch),
                new LaDeDaPackedConv(block.Conv2, panelWidth, width),
                new LaDeDaPackedConv(block.Conv3, panelWidth, width),
                block.Downsample is { } d ? new LaDeDaPackedConv(d, panelWidth, inPitch) : null));
        }
        Blocks = blocks;
        Fc = model.Fc.ToArray();
        FcBias = model.FcBias;
    }

    /// <summary>One bottleneck's packed convolutions.</summary>
    public sealed record Block(string Name, LaDeDaPackedConv Conv1, LaDeDaPackedConv Conv2, LaDeDaPackedConv Conv3, LaDeDaPackedConv? Downsample);

    public LaDeDaModel Model { get; }

    public PreprocessKind Preprocess { get; }

    public int PanelWidth { get; }

    public LaDeDaPackedConv Stem { get; }

    public IReadOnlyList<Block> Blocks { get; }

    /// <summary>fc weights (2048).</summary>
    public float[] Fc { get; }

    public double FcBias { get; }

    /// <summary>Floats per pixel of an activation with <paramref name="channels"/> channels.</summary>
    public int Pitch(int channels) => (channels + PanelWidth - 1) / PanelWidth * PanelWidth;
}
