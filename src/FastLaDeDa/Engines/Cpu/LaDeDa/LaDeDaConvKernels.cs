using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
using FastLaDeDa.Engines.Cpu.Gemm;
using FastLaDeDa.Simd;

namespace FastLaDeDa.Engines.Cpu.LaDeDa;

/// <summary>
/// Runs a <see cref="LaDeDaConvStep"/> (or part of it) at one register width. One implementation per
/// width (<see cref="LaDeDaConvKernels{TOps, TVec}"/>), picked once by the engine, so the per-call
/// dispatch is one interface call per work item.
/// </summary>
internal interface ILaDeDaConvKernels
{
    /// <summary>Scalar, Vector128, Vector256 or Vector512.</summary>
    string Isa { get; }

    /// <summary>Whether this process runs the width accelerated.</summary>
    bool IsSupported { get; }

    /// <summary>Output channels per micro-kernel tile (the packing's panel width).</summary>
    int PanelWidth { get; }

    /// <summary>
    /// Computes tiles [<paramref name="tileStart"/>, <paramref name="tileEnd"/>) × panels
    /// [<paramref name="panelStart"/>, <paramref name="panelEnd"/>) of <paramref name="step"/>: those
    /// pixels' output channels, BatchNorm, residual and ReLU included. <paramref name="scratch"/> (at
    /// least <see cref="PanelWidth"/> floats, private to the caller) absorbs the rows past the last pixel.
    /// </summary>
    unsafe void Run(LaDeDaConvStep step, float* input, float* output, float* residual, float* scratch, int tileStart, int tileEnd, int panelStart, int panelEnd);
}

/// <summary>The kernel implementations and the constants they share.</summary>
internal static class LaDeDaConvKernels
{
    /// <summary>Output pixels per micro-kernel tile.</summary>
    public const int TileRows = 6;

    /// <summary>Every width, widest first (supported or not).</summary>
    public static IReadOnlyList<ILaDeDaConvKernels> All { get; } =
    [
        new LaDeDaConvKernels<Avx512Ops, Vector512<float>>(wide: true),
        new LaDeDaConvKernels<Avx2Ops, Vector256<float>>(wide: Avx512F.VL.IsSupported && Vector512.IsHardwareAccelerated),
        new LaDeDaConvKernels<Vector128Ops, Vector128<float>>(wide: Avx512F.VL.IsSupported || AdvSimd.Arm64.IsSupported),
        new LaDeDaConvKernels<ScalarOps, float>(wide: false),
    ];

    /// <summary>The implementation for <paramref name="isa"/>.</summary>
    public static ILaDeDaConvKernels For(LaDeDaCpuIsa isa) => All[isa switch
    {
        LaDeDaCpuIsa.Vector512 => 0,
        LaDeDaCpuIsa.Vector256 => 1,
        LaDeDaCpuIsa.Vector128 => 2,
        _ => 3,
    }];

    /// <summary>Panels whose packed weights fit in <see cref="LaDeDaCpuTuning.PanelGroupBytes"/> (at least 1).</summary>
    public static int PanelGroup(LaDeDaPackedConv conv) => (int)Math.Clamp(LaDeDaCpuTuning.Default.PanelGroupBytes / (conv.PanelFloats * sizeof(float)), 1, conv.Panels);

    /// <summary>A Vector256 kernel with the given tile (tests pin both shapes).</summary>
    internal static ILaDeDaConvKernels Vector256(bool wide) => new LaDeDaConvKernels<Avx2Ops, Vector256<float>>(wide);

    /// <summary>A Vector128 kernel with the given tile (tests pin both shapes).</summary>
    internal static ILaDeDaConvKernels Vector128(bool wide) => new LaDeDaConvKernels<Vector128Ops, Vector128<float>>(wide);
}

/// <summary>
/// The tile loop around <see cref="GemmMicroKernel{TOps, TVec}"/>: for each group of panels of
/// output channels (as many as fit in <see cref="LaDeDaCpuTuning.PanelGroupBytes"/>), for each
/// tile of 6 pixels, gather the 6 window pointers and call the micro-kernel once per panel.
/// </summary>
/// <remarks>
/// The wide tile (6 × 4 registers) needs 30 vector registers: AVX-512 machines have 32 (for
/// Vector256 and Vector128 too, through the EVEX encoding), and so has ARM64's AdvSimd. AVX2
/// machines have 16, so their Vector256 and Vector128 kernels use the narrow tile (6 × 2), as does
/// the scalar one.
/// </remarks>
internal sealed unsafe class LaDeDaConvKernels<TOps, TVec>(bool wide) : ILaDeDaConvKernels
    where TOps : struct, ISimdOps<TVec>
    where TVec : struct
{
    public string Isa => TOps.Isa;

    public bool IsSupported => TOps.IsSupported;

    public int PanelWidth => wide ? GemmMicroKernel<TOps, TVec>.WideWidth : GemmMicroKernel<TOps, TVec>.NarrowWidth;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Run(LaDeDaConvStep step, float* input, float* output, float* residual, float* scratch, int tileStart, int tileEnd, int panelStart, int panelEnd)
    {
        LaDeDaPackedConv conv = step.Conv;
        if (conv.PanelWidth != PanelWidth) throw new InvalidOperationException($"weights packed for {conv.PanelWidth}-channel panels, kernel tiles are {PanelWidth}");
        int rows = LaDeDaConvKernels.TileRows, pixels = step.Pixels, pitch = step.OutPitch, width = PanelWidth;
        int flags = (step.ResidualOffsets is null ? 0 : GemmMicroKernel<TOps, TVec>.AddResidual) | (step.Relu ? GemmMicroKernel<TOps, TVec>.Relu : 0)
                    | (LaDeDaCpuTuning.Default.PrefetchOutputs ? GemmMicroKernel<TOps, TVec>.PrefetchOutput : 0);
        // Panels are processed in groups whose packed weights fit in L2 together: for each tile the
        // group's panels run back to back, so the tile's activations (in L1) serve the whole group
        // and its output rows are written in one contiguous sweep; the group's weights stay in L2
        // while the tiles stream past.
        int group = LaDeDaConvKernels.PanelGroup(conv);
        GemmTile tile;
        float** slots = (float**)&tile;
        float** outputs = stackalloc float*[rows];
        float** residuals = stackalloc float*[rows];
        fixed (int* inOffsets = step.InOffsets, residualOffsets = step.ResidualOffsets)
        fixed (nint* taps = step.TapOffsets)
        {
            for (int firstPanel = panelStart; firstPanel < panelEnd; firstPanel += group)
            {
                int endPanel = Math.Min(panelEnd, firstPanel + group);
                for (int t = tileStart; t < tileEnd; t++)
                {
                    int first = t * rows;
                    for (int r = 0; r < rows; r++)
                    {
                        int p = first + r;
                        if (p < pixels)
                        {
                            slots[r] = input + inOffsets[p];
                            outputs[r] = output + (nint)p * pitch;
                            residuals[r] = residualOffsets is null ? null : residual + residualOffsets[p];
                        }
                        else
                        {
                            slots[r] = input + inOffsets[pixels - 1];
                            outputs[r] = null;
                        }
                    }
                    for (int panel = firstPanel; panel < endPanel; panel++)
                    {
                        nint column = panel * width;
                        for (int r = 0; r < rows; r++)
                        {
                            slots[rows + r] = outputs[r] is null ? scratch : outputs[r] + column;
                            slots[2 * rows + r] = outputs[r] is null ? scratch : residuals[r] + column;
                        }
                        float* weights = conv.Weights + panel * conv.PanelFloats;
                        float* scale = conv.Scale + column, shift = conv.Shift + column;
                        if (wide) GemmMicroKernel<TOps, TVec>.Wide(&tile, weights, taps, conv.Taps, conv.Run, scale, shift, flags);
                        else GemmMicroKernel<TOps, TVec>.Narrow(&tile, weights, taps, conv.Taps, conv.Run, scale, shift, flags);
                    }
                }
            }
        }
    }
}
