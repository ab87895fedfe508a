using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
using FastLaDeDa.Engines.Cpu.LaDeDa;
using FastLaDeDa.Simd;

namespace FastLaDeDa.Engines.Cpu.Gemm;

/// <summary>
/// The register-blocked GEMM micro-kernel of the LaDeDa CPU engine, written once for every register
/// width (<typeparamref name="TOps"/>: scalar, Vector128, Vector256, Vector512): a tile of
/// <see cref="Rows"/> = 6 output pixels × (4 or 2) registers of output channels, accumulated in
/// registers over the whole reduction and finished in place (BatchNorm scale and shift, optional
/// residual add, optional ReLU) before it is stored.
/// </summary>
/// <remarks>
/// <para>Activations are channels-last, so a 1×1 convolution is a plain GEMM [pixels × Cin] ·
/// [Cin × Cout] and a k×k convolution an implicit one: the reduction runs over <c>taps</c> runs of
/// <c>run</c> contiguous input floats, tap t of pixel m starting at <c>A_m + tapOffsets[t]</c> (one
/// tap per kernel row, whose k pixels × Cin channels are contiguous in a row; or one per kernel
/// position when the rows are padded). Weights come pre-packed as panels
/// [tap][run][<c>panelWidth</c>] (see <see cref="LaDeDaPackedConv"/>), read once per step in order.</para>
/// <para>Per reduction step the wide tile loads 4 weight registers, broadcasts 6 activations and
/// issues 24 independent FMAs into 24 accumulators (28–30 of AVX-512's 32 registers); the narrow
/// tile (16-register machines) 2 weight registers and 12 FMAs. Both keep the FMA units busy: the
/// loads per FMA are well under the load ports' rate and 24 (12) chains hide the FMA latency.</para>
/// </remarks>
internal static unsafe class GemmMicroKernel<TOps, TVec>
    where TOps : struct, ISimdOps<TVec>
    where TVec : struct
{
    /// <summary>Output pixels per tile (defined once, with the kernels that tile by it).</summary>
    public const int Rows = LaDeDaConvKernels.TileRows;

    /// <summary>Output channels of the wide tile (4 registers).</summary>
    public static int WideWidth => 4 * TOps.Count;

    /// <summary>Output channels of the narrow tile (2 registers).</summary>
    public static int NarrowWidth => 2 * TOps.Count;

    /// <summary>Epilogue flag: add the residual row at <c>R</c> before the ReLU.</summary>
    public const int AddResidual = 1;

    /// <summary>Epilogue flag: ReLU at the end.</summary>
    public const int Relu = 2;

    /// <summary>Flag: prefetch the tile's output (and residual) lines before the reduction, so the epilogue finds them in cache.</summary>
    public const int PrefetchOutput = 4;

    /// <summary>
    /// Asks for the cache lines of the tile's output rows (and residual rows) while the reduction
    /// runs: the epilogue's loads and stores would otherwise miss on activations that left the
    /// cache since they were written (megabytes per layer), stalling the FMA pipes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Prefetch(GemmTile* t, int flags, int width)
    {
        if (!Sse.IsSupported || (flags & PrefetchOutput) == 0) return;
        float** rows = (float**)t;
        for (int r = 0; r < Rows; r++)
            for (int f = 0; f < width; f += 16)
            {
                Sse.Prefetch0(rows[Rows + r] + f);
                if ((flags & AddResidual) != 0) Sse.Prefetch0(rows[2 * Rows + r] + f);
            }
    }

    /// <summary>The 6 × 4-register tile.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Wide(GemmTile* t, float* b, nint* tapOffsets, int taps, nint run, float* scale, float* shift, int flags)
    {
        int n = TOps.Count;
        TVec c00 = TOps.Zero, c01 = TOps.Zero, c02 = TOps.Zero, c03 = TOps.Zero;
        TVec c10 = TOps.Zero, c11 = TOps.Zero, c12 = TOps.Zero, c13 = TOps.Zero;
        TVec c20 = TOps.Zero, c21 = TOps.Zero, c22 = TOps.Zero, c23 = TOps.Zero;
        TVec c30 = TOps.Zero, c31 = TOps.Zero, c32 = TOps.Zero, c33 = TOps.Zero;
        TVec c40 = TOps.Zero, c41 = TOps.Zero, c42 = TOps.Zero, c43 = TOps.Zero;
        TVec c50 = TOps.Zero, c51 = TOps.Zero, c52 = TOps.Zero, c53 = TOps.Zero;
        Prefetch(t, flags, 4 * n);
        for (int tap = 0; tap < taps; tap++)
        {
            nint offset = tapOffsets[tap];
            float* a0 = t->A0 + offset, a1 = t->A1 + offset, a2 = t->A2 + offset;
            float* a3 = t->A3 + offset, a4 = t->A4 + offset, a5 = t->A5 + offset;
            for (nint k = 0; k < run; k++)
            {
                TVec b0 = TOps.Load(ref b[0]), b1 = TOps.Load(ref b[n]), b2 = TOps.Load(ref b[2 * n]), b3 = TOps.Load(ref b[3 * n]);
                b += 4 * n;
                TVec x = TOps.Broadcast(a0[k]);
                c00 = TOps.MultiplyAdd(b0, x, c00); c01 = TOps.MultiplyAdd(b1, x, c01); c02 = TOps.MultiplyAdd(b2, x, c02); c03 = TOps.MultiplyAdd(b3, x, c03);
                x = TOps.Broadcast(a1[k]);
                c10 = TOps.MultiplyAdd(b0, x, c10); c11 = TOps.MultiplyAdd(b1, x, c11); c12 = TOps.MultiplyAdd(b2, x, c12); c13 = TOps.MultiplyAdd(b3, x, c13);
                x = TOps.Broadcast(a2[k]);
                c20 = TOps.MultiplyAdd(b0, x, c20); c21 = TOps.MultiplyAdd(b1, x, c21); c22 = TOps.MultiplyAdd(b2, x, c22); c23 = TOps.MultiplyAdd(b3, x, c23);
                x = TOps.Broadcast(a3[k]);
                c30 = TOps.MultiplyAdd(b0, x, c30); c31 = TOps.MultiplyAdd(b1, x, c31); c32 = TOps.MultiplyAdd(b2, x, c32); c33 = TOps.MultiplyAdd(b3, x, c33);
                x = TOps.Broadcast(a4[k]);
                c40 = TOps.MultiplyAdd(b0, x, c40); c41 = TOps.MultiplyAdd(b1, x, c41); c42 = TOps.MultiplyAdd(b2, x, c42); c43 = TOps.MultiplyAdd(b3, x, c43);
                x = TOps.Broadcast(a5[k]);
                c50 = TOps.MultiplyAdd(b0, x, c50); c51 = TOps.MultiplyAdd(b1, x, c51); c52 = TOps.MultiplyAdd(b2, x, c52); c53 = TOps.MultiplyAdd(b3, x, c53);
            }
        }

        TVec s0 = TOps.Load(ref scale[0]), s1 = TOps.Load(ref scale[n]), s2 = TOps.Load(ref scale[2 * n]), s3 = TOps.Load(ref scale[3 * n]);
        TVec h0 = TOps.Load(ref shift[0]), h1 = TOps.Load(ref shift[n]), h2 = TOps.Load(ref shift[2 * n]), h3 = TOps.Load(ref shift[3 * n]);
        Finish4(t->C0, t->R0, flags, c00, c01, c02, c03, s0, s1, s2, s3, h0, h1, h2, h3);
        Finish4(t->C1, t->R1, flags, c10, c11, c12, c13, s0, s1, s2, s3, h0, h1, h2, h3);
        Finish4(t->C2, t->R2, flags, c20, c21, c22, c23, s0, s1, s2, s3, h0, h1, h2, h3);
        Finish4(t->C3, t->R3, flags, c30, c31, c32, c33, s0, s1, s2, s3, h0, h1, h2, h3);
        Finish4(t->C4, t->R4, flags, c40, c41, c42, c43, s0, s1, s2, s3, h0, h1, h2, h3);
        Finish4(t->C5, t->R5, flags, c50, c51, c52, c53, s0, s1, s2, s3, h0, h1, h2, h3);
    }

    /// <summary>The 6 × 2-register tile (for 16-register machines).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Narrow(GemmTile* t, float* b, nint* tapOffsets, int taps, nint run, float* scale, float* shift, int flags)
    {
        int n = TOps.Count;
        TVec c00 = TOps.Zero, c01 = TOps.Zero, c10 = TOps.Zero, c11 = TOps.Zero, c20 = TOps.Zero, c21 = TOps.Zero;
        TVec c30 = TOps.Zero, c31 = TOps.Zero, c40 = TOps.Zero, c41 = TOps.Zero, c50 = TOps.Zero, c51 = TOps.Zero;
        Prefetch(t, flags, 2 * n);
        for (int tap = 0; tap < taps; tap++)
        {
            nint offset = tapOffsets[tap];
            float* a0 = t->A0 + offset, a1 = t->A1 + offset, a2 = t->A2 + offset;
            float* a3 = t->A3 + offset, a4 = t->A4 + offset, a5 = t->A5 + offset;
            for (nint k = 0; k < run; k++)
            {
                TVec b0 = TOps.Load(ref b[0]), b1 = TOps.Load(ref b[n]);
                b += 2 * n;
                TVec x = TOps.Broadcast(a0[k]);
                c00 = TOps.MultiplyAdd(b0, x, c00); c01 = TOps.MultiplyAdd(b1, x, c01);
                x = TOps.Broadcast(a1[k]);
                c10 = TOps.MultiplyAdd(b0, x, c10); c11 = TOps.MultiplyAdd(b1, x, c11);
                x = TOps.Broadcast(a2[k]);
                c20 = TOps.MultiplyAdd(b0, x, c20); c21 = TOps.MultiplyAdd(b1, x, c21);
                x = TOps.Broadcast(a3[k]);
                c30 = TOps.MultiplyAdd(b0, x, c30); c31 = TOps.MultiplyAdd(b1, x, c31);
                x = TOps.Broadcast(a4[k]);
                c40 = TOps.MultiplyAdd(b0, x, c40); c41 = TOps.MultiplyAdd(b1, x, c41);
                x = TOps.Broadcast(a5[k]);
                c50 = TOps.MultiplyAdd(b0, x, c50); c51 = TOps.MultiplyAdd(b1, x, c51);
            }
        }

        TVec s0 = TOps.Load(ref scale[0]), s1 = TOps.Load(ref scale[n]);
        TVec h0 = TOps.Load(ref shift[0]), h1 = TOps.Load(ref shift[n]);
        Finish2(t->C0, t->R0, flags, c00, c01, s0, s1, h0, h1);
        Finish2(t->C1, t->R1, flags, c10, c11, s0, s1, h0, h1);
        Finish2(t->C2, t->R2, flags, c20, c21, s0, s1, h0, h1);
        Finish2(t->C3, t->R3, flags, c30, c31, s0, s1, h0, h1);
        Finish2(t->C4, t->R4, flags, c40, c41, s0, s1, h0, h1);
        Finish2(t->C5, t->R5, flags, c50, c51, s0, s1, h0, h1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Finish4(float* c, float* r, int flags, TVec v0, TVec v1, TVec v2, TVec v3,
                                TVec s0, TVec s1, TVec s2, TVec s3, TVec h0, TVec h1, TVec h2, TVec h3)
    {
        int n = TOps.Count;
        Finish(ref c[0], ref r[0], flags, v0, s0, h0);
        Finish(ref c[n], ref r[n], flags, v1, s1, h1);
        Finish(ref c[2 * n], ref r[2 * n], flags, v2, s2, h2);
        Finish(ref c[3 * n], ref r[3 * n], flags, v3, s3, h3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Finish2(float* c, float* r, int flags, TVec v0, TVec v1, TVec s0, TVec s1, TVec h0, TVec h1)
    {
        int n = TOps.Count;
        Finish(ref c[0], ref r[0], flags, v0, s0, h0);
        Finish(ref c[n], ref r[n], flags, v1, s1, h1);
    }

    /// <summary>
    /// scale · acc + shift (one rounding), then + residual, then ReLU — the order of the reference
    /// (BatchNorm, residual add, ReLU). <paramref name="r"/> is only read with <see cref="AddResidual"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Finish(ref float c, ref float r, int flags, TVec acc, TVec scale, TVec shift)
    {
        TVec v = TOps.MultiplyAdd(acc, scale, shift);
        if ((flags & AddResidual) != 0) v = TOps.Add(v, TOps.Load(ref r));
        if ((flags & Relu) != 0) v = TOps.Max(v, TOps.Zero);
        TOps.Store(ref c, v);
    }
}
