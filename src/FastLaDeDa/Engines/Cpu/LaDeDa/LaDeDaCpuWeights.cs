using FastLaDeDa.Models;
using FastLaDeDa.Preprocessing;

namespace FastLaDeDa.Engines.Cpu.LaDeDa;

/// <summary>
/// A <see cref="LaDeDaModel"/> packed once for one micro-kernel width: every node of the fused graph
/// (<see cref="LaDeDaSpec.FusedGraph"/>: the fused stem, then each bottleneck's convolutions) as a
/// <see cref="LaDeDaPackedConv"/>, plus the fc head. Activations are stored with <see cref="Pitch"/>
/// floats per pixel (channels rounded up to whole panels; equal to the channel count for every
/// LaDeDa layer), the graph input (the stem's) with 3.
/// </summary>
internal sealed class LaDeDaCpuWeights
{
    public LaDeDaCpuWeights(LaDeDaModel model, PreprocessKind preprocess, int panelWidth)
    {
        Model = model;
        Preprocess = preprocess;
        PanelWidth = panelWidth;
        Graph = model.Spec.FusedGraph;
        Convs = [.. Graph.Nodes.Select(n => new LaDeDaPackedConv(model.Conv(n), panelWidth, InputPitch(n.Input)))];
        Fc = model.Fc.ToArray();
        FcBias = model.FcBias;
    }

    public LaDeDaModel Model { get; }

    public PreprocessKind Preprocess { get; }

    public int PanelWidth { get; }

    /// <summary>The nodes the plan lowers.</summary>
    public LaDeDaGraph Graph { get; }

    /// <summary>The packed convolution of each node of <see cref="Graph"/>, by node index.</summary>
    public IReadOnlyList<LaDeDaPackedConv> Convs { get; }

    /// <summary>fc weights (2048).</summary>
    public float[] Fc { get; }

    public double FcBias { get; }

    /// <summary>Floats per pixel of an activation with <paramref name="channels"/> channels.</summary>
    public int Pitch(int channels) => (channels + PanelWidth - 1) / PanelWidth * PanelWidth;

    /// <summary>Floats per pixel of graph value <paramref name="value"/>: 3 for the (interleaved RGB) input, else <see cref="Pitch"/>.</summary>
    public int InputPitch(int value) => value == 0 ? 3 : Pitch(Graph.Channels(value));
}
