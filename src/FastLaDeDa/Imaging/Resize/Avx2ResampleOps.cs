using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace FastLaDeDa.Imaging.Resize;

/// <summary>Two 256-bit registers: outputs x, x+1 in <see cref="Low"/>, x+2, x+3 in <see cref="High"/> (one 128-bit lane each).</summary>
internal readonly record struct Vector256Pair(Vector256<int> Low, Vector256<int> High);

/// <summary>The resampling operations on 256-bit vectors (AVX2): four outputs in two registers, two rows together.</summary>
internal readonly unsafe struct Avx2ResampleOps : IResampleOps<Vector256Pair, Vector256<int>>
{
    public static string Isa => "Vector256";
    public static bool IsSupported => Vector256.IsHardwareAccelerated && Avx2.IsSupported;
    public static int RowsTogether => 2;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256Pair Fill(int value) => new(Vector256.Create(value), Vector256.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Pair Windows(byte* p0, byte* p1, byte* p2, byte* p3) =>
        new(Vector256.Create(Vector128.Load(p0), Vector128.Load(p1)).AsInt32(), Vector256.Create(Vector128.Load(p2), Vector128.Load(p3)).AsInt32());

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256Pair LoadWeights(int* weights) => new(Vector256.Load(weights), Vector256.Load(weights + 8));

    public static Vector256Pair TapMask(int tap)
    {
        Vector256<int> mask = Vector256.Create(ResampleTapMasks.Tap(tap)).AsInt32();
        return new(mask, mask);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Pair MultiplyAddTap(Vector256Pair acc, Vector256Pair windows, Vector256Pair mask, Vector256Pair weights)
    {
        // Both halves of the mask are the same: one register serves both shuffles.
        Vector256<byte> shuffle = mask.Low.AsByte();
        return new(acc.Low + Avx2.Shuffle(windows.Low.AsByte(), shuffle).AsInt32() * weights.Low,
                   acc.High + Avx2.Shuffle(windows.High.AsByte(), shuffle).AsInt32() * weights.High);
    }

    /// <summary>Signed saturation to int16, then unsigned saturation to 0..255, which is exactly the clamp.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> Clip(Vector256Pair acc)
    {
        // Lane 0 of the packed bytes holds outputs x, x+2 and lane 1 outputs x+1, x+3.
        Vector256<short> words = Avx2.PackSignedSaturate(acc.Low >> ResampleAxis.PrecisionBits, acc.High >> ResampleAxis.PrecisionBits);
        Vector256<byte> bytes = Avx2.PackUnsignedSaturate(words, words);
        Vector128<byte> rgbx = Sse2.UnpackLow(bytes.GetLower().AsInt32(), bytes.GetUpper().AsInt32()).AsByte();
        return Vector128.Shuffle(rgbx, ResampleTapMasks.Compact);
    }

    public static int Count => Vector256<int>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<int> Widen(byte* source) => Avx2.ConvertToVector256Int32(source);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<int> Broadcast(int value) => Vector256.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<int> MultiplyAdd(Vector256<int> acc, Vector256<int> a, Vector256<int> b) => acc + a * b;

    /// <summary>The packs work per 128-bit lane: a permute restores the order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ClipStore(Vector256<int> acc0, Vector256<int> acc1, Vector256<int> acc2, Vector256<int> acc3, byte* destination)
    {
        Vector256<short> s01 = Avx2.PackSignedSaturate(acc0 >> ResampleAxis.PrecisionBits, acc1 >> ResampleAxis.PrecisionBits);
        Vector256<short> s23 = Avx2.PackSignedSaturate(acc2 >> ResampleAxis.PrecisionBits, acc3 >> ResampleAxis.PrecisionBits);
        Vector256<byte> packed = Avx2.PackUnsignedSaturate(s01, s23);
        // Dword d of the packed result comes from dword (d % 2) * 4 + d / 2.
        Avx2.PermuteVar8x32(packed.AsInt32(), Vector256.Create(0, 4, 1, 5, 2, 6, 3, 7)).AsByte().Store(destination);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ClipStore(Vector256<int> acc, byte* destination)
    {
        Vector256<short> words = Avx2.PackSignedSaturate(acc >> ResampleAxis.PrecisionBits, acc >> ResampleAxis.PrecisionBits);
        Vector256<byte> bytes = Avx2.PackUnsignedSaturate(words, words);
        // Lane 0 starts with bytes 0..3, lane 1 with bytes 4..7.
        *(uint*)destination = bytes.AsUInt32().GetElement(0);
        *(uint*)(destination + 4) = bytes.AsUInt32().GetElement(4);
    }
}
