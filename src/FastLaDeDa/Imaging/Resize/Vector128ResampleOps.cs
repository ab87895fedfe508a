using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace FastLaDeDa.Imaging.Resize;

/// <summary>Four 128-bit registers, one per output pixel of a horizontal group.</summary>
internal readonly record struct Vector128Quad(Vector128<int> A, Vector128<int> B, Vector128<int> C, Vector128<int> D);

/// <summary>
/// The resampling operations on 128-bit vectors: x86 SSE4.1 (pshufb, pmovzxbd, packs) and ARM64
/// AdvSimd (tbl, saturating narrows); four outputs in four registers, two rows together.
/// </summary>
internal readonly unsafe struct Vector128ResampleOps : IResampleOps<Vector128Quad, Vector128<int>>
{
    public static string Isa => "Vector128";
    public static bool IsSupported => Vector128.IsHardwareAccelerated && (Sse41.IsSupported || AdvSimd.Arm64.IsSupported);
    public static int RowsTogether => 2;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128Quad Fill(int value)
    {
        var v = Vector128.Create(value);
        return new(v, v, v, v);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128Quad Windows(byte* p0, byte* p1, byte* p2, byte* p3) =>
        new(Vector128.Load(p0).AsInt32(), Vector128.Load(p1).AsInt32(), Vector128.Load(p2).AsInt32(), Vector128.Load(p3).AsInt32());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128Quad LoadWeights(int* weights) =>
        new(Vector128.Load(weights), Vector128.Load(weights + 4), Vector128.Load(weights + 8), Vector128.Load(weights + 12));

    public static Vector128Quad TapMask(int tap)
    {
        Vector128<int> mask = ResampleTapMasks.Tap(tap).AsInt32();
        return new(mask, mask, mask, mask);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128Quad MultiplyAddTap(Vector128Quad acc, Vector128Quad windows, Vector128Quad mask, Vector128Quad weights)
    {
        // All four lanes of the mask are the same: one register serves the four shuffles.
        Vector128<byte> shuffle = mask.A.AsByte();
        return new(acc.A + Shuffle(windows.A, shuffle) * weights.A, acc.B + Shuffle(windows.B, shuffle) * weights.B,
                   acc.C + Shuffle(windows.C, shuffle) * weights.C, acc.D + Shuffle(windows.D, shuffle) * weights.D);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<int> Shuffle(Vector128<int> window, Vector128<byte> mask) =>
        (Ssse3.IsSupported ? Ssse3.Shuffle(window.AsByte(), mask)
         : AdvSimd.Arm64.IsSupported ? AdvSimd.Arm64.VectorTableLookup(window.AsByte(), mask)
         : Vector128.Shuffle(window.AsByte(), mask)).AsInt32();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> Clip(Vector128Quad acc) =>
        Vector128.Shuffle(ToBytes(acc.A, acc.B, acc.C, acc.D), ResampleTapMasks.Compact);

    public static int Count => Vector128<int>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> Widen(byte* source) => Sse41.IsSupported
        ? Sse41.ConvertToVector128Int32(source)
        : Vector128.WidenLower(Vector128.WidenLower(Vector128.CreateScalarUnsafe(*(uint*)source).AsByte())).AsInt32();

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<int> Broadcast(int value) => Vector128.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<int> MultiplyAdd(Vector128<int> acc, Vector128<int> a, Vector128<int> b) => acc + a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ClipStore(Vector128<int> acc0, Vector128<int> acc1, Vector128<int> acc2, Vector128<int> acc3, byte* destination) =>
        ToBytes(acc0, acc1, acc2, acc3).Store(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ClipStore(Vector128<int> acc, byte* destination) =>
        *(uint*)destination = ToBytes(acc, acc, acc, acc).AsUInt32().ToScalar();

    /// <summary>
    /// clip8(acc &gt;&gt; PrecisionBits) of 16 sums, in order: signed saturation to int16, then
    /// unsigned saturation to 0..255, which is exactly the clamp (packssdw/packuswb; sqxtn/sqxtun).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> ToBytes(Vector128<int> a, Vector128<int> b, Vector128<int> c, Vector128<int> d)
    {
        a >>= ResampleAxis.PrecisionBits; b >>= ResampleAxis.PrecisionBits;
        c >>= ResampleAxis.PrecisionBits; d >>= ResampleAxis.PrecisionBits;
        if (Sse2.IsSupported)
            return Sse2.PackUnsignedSaturate(Sse2.PackSignedSaturate(a, b), Sse2.PackSignedSaturate(c, d));
        if (AdvSimd.IsSupported)
        {
            Vector128<short> ab = AdvSimd.ExtractNarrowingSaturateUpper(AdvSimd.ExtractNarrowingSaturateLower(a), b);
            Vector128<short> cd = AdvSimd.ExtractNarrowingSaturateUpper(AdvSimd.ExtractNarrowingSaturateLower(c), d);
            return AdvSimd.ExtractNarrowingSaturateUnsignedUpper(AdvSimd.ExtractNarrowingSaturateUnsignedLower(ab), cd);
        }
        Vector128<int> low = Vector128<int>.Zero, high = Vector128.Create(255);
        return Vector128.Narrow(
            Vector128.Narrow(Vector128.Clamp(a, low, high), Vector128.Clamp(b, low, high)).AsUInt16(),
            Vector128.Narrow(Vector128.Clamp(c, low, high), Vector128.Clamp(d, low, high)).AsUInt16());
    }
}
