using System.Runtime.Intrinsics;

namespace FastLaDeDa.Imaging.Resize;

/// <summary>
/// The integer operations the resampling passes need at one register width
/// (<see cref="ResamplerSimd{TOps, TQuad, TInt}"/>); the JIT specialises the passes per struct.
/// </summary>
/// <typeparam name="TQuad">
/// Four 128-bit lanes, one per output pixel of a horizontal group: a <see cref="Vector512{T}"/>,
/// two <see cref="Vector256{T}"/> or four <see cref="Vector128{T}"/>. Holds either the four
/// 16-byte source windows or the four outputs' int32 sums (R, G, B, unused).
/// </typeparam>
/// <typeparam name="TInt">One register of <see cref="Count"/> int32 (the vertical pass).</typeparam>
internal unsafe interface IResampleOps<TQuad, TInt>
    where TQuad : struct
    where TInt : struct
{
    /// <summary>"Vector128", "Vector256" or "Vector512".</summary>
    static abstract string Isa { get; }

    /// <summary>Whether this width runs accelerated in this process.</summary>
    static abstract bool IsSupported { get; }

    /// <summary>Rows the horizontal pass computes together, sharing each offset and weight load (1, 2 or 4).</summary>
    static abstract int RowsTogether { get; }

    /// <summary>Every int32 lane set to <paramref name="value"/>.</summary>
    static abstract TQuad Fill(int value);

    /// <summary>The 16-byte windows starting at the four outputs' pointers.</summary>
    static abstract TQuad Windows(byte* p0, byte* p1, byte* p2, byte* p3);

    /// <summary>16 int32 weights: four per output, lane-major.</summary>
    static abstract TQuad LoadWeights(int* weights);

    /// <summary>
    /// The byte shuffle of tap <paramref name="tap"/> (0..4) in the shape <see cref="MultiplyAddTap"/>
    /// takes (<see cref="ResampleTapMasks.Tap"/> in each lane). The passes build the five masks once per
    /// call, outside their loops, so they stay in registers.
    /// </summary>
    static abstract TQuad TapMask(int tap);

    /// <summary>
    /// <paramref name="acc"/> + the tap that <paramref name="mask"/> (from <see cref="TapMask"/>) selects
    /// of each window — its R, G, B bytes widened to int32, the fourth lane 0 — times <paramref name="weights"/>.
    /// </summary>
    static abstract TQuad MultiplyAddTap(TQuad acc, TQuad windows, TQuad mask, TQuad weights);

    /// <summary>clip8(acc &gt;&gt; PrecisionBits) of the four outputs as 12 bytes R, G, B × 4 (the last 4 bytes undefined).</summary>
    static abstract Vector128<byte> Clip(TQuad acc);

    /// <summary>Int32 lanes of <typeparamref name="TInt"/>, and so bytes the vertical pass widens per register.</summary>
    static abstract int Count { get; }

    /// <summary><see cref="Count"/> bytes widened to int32.</summary>
    static abstract TInt Widen(byte* source);

    static abstract TInt Broadcast(int value);

    /// <summary>acc + a · b (int32, wrapping).</summary>
    static abstract TInt MultiplyAdd(TInt acc, TInt a, TInt b);

    /// <summary>clip8(acc &gt;&gt; PrecisionBits) of four registers, stored as 4 · <see cref="Count"/> bytes in order.</summary>
    static abstract void ClipStore(TInt acc0, TInt acc1, TInt acc2, TInt acc3, byte* destination);

    /// <summary>clip8(acc &gt;&gt; PrecisionBits) of one register, stored as <see cref="Count"/> bytes.</summary>
    static abstract void ClipStore(TInt acc, byte* destination);
}
