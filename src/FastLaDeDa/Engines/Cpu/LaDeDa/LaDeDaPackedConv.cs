using FastLaDeDa.Engines.Cpu.Gemm;
using FastLaDeDa.Models;

namespace FastLaDeDa.Engines.Cpu.LaDeDa;

/// <summary>
/// One convolution's weights rearranged once for <see cref="GemmMicroKernel{TOps, TVec}"/>:
/// output channels in panels of <see cref="PanelWidth"/>, each panel [tap][run][PanelWidth] in the
/// order the micro-kernel reads it, channels past <see cref="OutChannels"/> zero; BatchNorm scale and
/// shift as float32 per channel (zero past the end). The weights stay the checkpoint's float32
/// values (the scale is applied after the accumulation, see <see cref="BatchNormFolding"/>).
/// </summary>
/// <remarks>
/// The input is channels-last with <see cref="InputPitch"/> floats per pixel. When the pitch equals
/// the channel count, the k pixels × Cin channels of one kernel row are contiguous: one tap per
/// kernel row, run = k·Cin. Otherwise one tap per kernel position, run = Cin.
/// </remarks>
internal sealed unsafe class LaDeDaPackedConv
{
    private readonly AlignedFloatBuffer _weights, _scale, _shift;

    public LaDeDaPackedConv(LaDeDaConv conv, int panelWidth, int inputPitch)
        : this(conv.OutChannels, conv.InChannels, conv.Kernel, conv.Stride, conv.Weights, conv.Scale, conv.Shift, panelWidth, inputPitch) { }

    public LaDeDaPackedConv(int outChannels, int inChannels, int kernel, int stride, ReadOnlySpan<float> weights,
                            ReadOnlySpan<double> scale, ReadOnlySpan<double> shift, int panelWidth, int inputPitch)
    {
        if (weights.Length != outChannels * inChannels * kernel * kernel) throw new ArgumentException("weights do not match the shape", nameof(weights));
        if (inputPitch < inChannels) throw new ArgumentOutOfRangeException(nameof(inputPitch), "the pitch holds at least the channels");
        (OutChannels, InChannels, Kernel, Stride, PanelWidth, InputPitch) = (outChannels, inChannels, kernel, stride, panelWidth, inputPitch);
        bool rowsContiguous = inputPitch == inChannels;
        Taps = rowsContiguous ? kernel : kernel * kernel;
        Run = rowsContiguous ? kernel * inChannels : inChannels;
        Panels = (outChannels + panelWidth - 1) / panelWidth;
        PanelFloats = (long)Taps * Run * panelWidth;

        _weights = new AlignedFloatBuffer(Panels * PanelFloats);
        Span<float> packed = _weights.Span;
        for (int o = 0; o < outChannels; o++)
        {
            long panel = o / panelWidth * PanelFloats;
            int lane = o % panelWidth;
            for (int i = 0; i < inChannels; i++)
                for (int ky = 0; ky < kernel; ky++)
                    for (int kx = 0; kx < kernel; kx++)
                    {
                        // Tap and position in the run of input (ky, kx, channel i).
                        int tap = rowsContiguous ? ky : ky * kernel + kx;
                        int k = rowsContiguous ? kx * inChannels + i : i;
                        packed[(int)(panel + ((long)tap * Run + k) * panelWidth + lane)] = weights[((o * inChannels + i) * kernel + ky) * kernel + kx];
                    }
        }
        _scale = new AlignedFloatBuffer(Panels * panelWidth);
        _shift = new AlignedFloatBuffer(Panels * panelWidth);
        for (int o = 0; o < outChannels; o++)
        {
            _scale.Span[o] = (float)scale[o];
            _shift.Span[o] = (float)shift[o];
        }
    }

    public int OutChannels { get; }
    public int InChannels { get; }
    public int Kernel { get; }
    public int Stride { get; }

    /// <summary>Output channels per panel (the micro-kernel's tile width).</summary>
    public int PanelWidth { get; }

    /// <summary>Floats per input pixel the packing assumes.</summary>
    public int InputPitch { get; }

    /// <summary>Reduction runs per output (kernel rows, or kernel positions).</summary>
    public int Taps { get; }

    /// <summary>Contiguous input floats per tap.</summary>
    public int Run { get; }

    /// <summary>Panels (output channels rounded up to <see cref="PanelWidth"/>).</summary>
    public int Panels { get; }

    /// <summary>Floats per panel.</summary>
    public long PanelFloats { get; }

    /// <summary>Packed weights; panel p starts at <c>p · PanelFloats</c>.</summary>
    public float* Weights => _weights.Pointer;

    /// <summary>BatchNorm scale per output channel, padded to whole panels.</summary>
    public float* Scale => _scale.Pointer;

    /// <summary>BatchNorm shift per output channel, padded to whole panels.</summary>
    public float* Shift => _shift.Pointer;

    /// <summary>
    /// Offsets (floats) of each tap's run from the window's top-left input, for an input whose rows
    /// are <paramref name="rowPitch"/> floats apart.
    /// </summary>
    public nint[] TapOffsets(long rowPitch)
    {
        var offsets = new nint[Taps];
        for (int t = 0; t < Taps; t++)
            offsets[t] = Taps == Kernel ? (nint)(t * rowPitch) : (nint)(t / Kernel * rowPitch + t % Kernel * InputPitch);
        return offsets;
    }

    /// <summary>Multiply-adds per output pixel.</summary>
    public long MultiplyAddsPerPixel => (long)OutChannels * InChannels * Kernel * Kernel;
}
