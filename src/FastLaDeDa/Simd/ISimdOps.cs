namespace FastLaDeDa.Simd;

/// <summary>
/// The handful of float operations the fused Tiny-LaDeDa kernel and the SIMD preprocessing passes need, for one register width.
/// Each is written once, generic over this interface; the JIT specialises it per struct,
/// so every call below compiles to one or two instructions. <c>TVec</c> is <c>float</c> for the
/// scalar fallback, <c>Vector128&lt;float&gt;</c>, <c>Vector256&lt;float&gt;</c> or <c>Vector512&lt;float&gt;</c> otherwise.
/// </summary>
internal interface ISimdOps<TVec> where TVec : struct
{
    /// <summary>Floats per register.</summary>
    static abstract int Count { get; }

    /// <summary>"Scalar", "Vector128", "Vector256" or "Vector512" (<see cref="SimdImplementation.Isa"/>).</summary>
    static abstract string Isa { get; }

    /// <summary>Whether this width runs accelerated on this machine (and process settings).</summary>
    static abstract bool IsSupported { get; }

    /// <summary>
    /// Whether the fused Tiny-LaDeDa stem keeps its 16 Winograd products of four channels in registers
    /// (needs 32 registers and a cycle per FMA to spare load slots: AVX-512 on this class of core) rather
    /// than staging them through memory (measured faster for the narrower widths).
    /// </summary>
    static abstract bool StemInRegisters { get; }

    static abstract TVec Load(ref float source);
    static abstract void Store(ref float destination, TVec value);
    static abstract TVec Broadcast(float value);
    static abstract TVec Zero { get; }

    /// <summary>a · b + c (fused).</summary>
    static abstract TVec MultiplyAdd(TVec a, TVec b, TVec c);
    static abstract TVec Multiply(TVec a, TVec b);
    static abstract TVec Add(TVec a, TVec b);
    static abstract TVec Subtract(TVec a, TVec b);
    static abstract TVec Divide(TVec a, TVec b);
    static abstract TVec Max(TVec a, TVec b);

    /// <summary>Of 2·Count consecutive pixels (<paramref name="low"/> then <paramref name="high"/>), those at even positions: p0, p2, ….</summary>
    static abstract TVec Even(TVec low, TVec high);

    /// <summary>Of 2·Count consecutive pixels, those at odd positions: p1, p3, ….</summary>
    static abstract TVec Odd(TVec low, TVec high);

    /// <summary>
    /// The inverse of <see cref="Even"/>/<see cref="Odd"/>: <paramref name="even"/> and
    /// <paramref name="odd"/> zipped into 2·Count consecutive values e0, o0, e1, o1, …
    /// (<paramref name="low"/> then <paramref name="high"/>).
    /// </summary>
    static abstract void Interleave(TVec even, TVec odd, out TVec low, out TVec high);

    /// <summary>
    /// For 2·Count consecutive pixels starting at an even position, each pixel's even neighbour:
    /// p0, p0, p2, p2, … (NPR's anchor column).
    /// </summary>
    static abstract void DuplicateEven(TVec low, TVec high, out TVec lowAnchors, out TVec highAnchors);

    /// <summary>
    /// Converts <c>2·Count</c> interleaved RGB pixels (6·Count bytes) into float planes, the
    /// byte values unchanged (0..255): writes 2·Count floats to each of r, g and b.
    /// </summary>
    static abstract void DeinterleaveRgb(ref byte rgb, ref float r, ref float g, ref float b);
}
