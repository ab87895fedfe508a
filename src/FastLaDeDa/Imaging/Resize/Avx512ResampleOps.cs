using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace FastLaDeDa.Imaging.Resize;

/// <summary>The resampling operations on 512-bit vectors (AVX-512 F + BW): four outputs in one register, four rows together.</summary>
internal readonly unsafe struct Avx512ResampleOps : IResampleOps<Vector512<int>, Vector512<int>>
{
    public static string Isa => "Vector512";
    public static bool IsSupported => Vector512.IsHardwareAccelerated && Avx512F.IsSupported && Avx512BW.IsSupported;
    public static int RowsTogether => 4;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<int> Fill(int value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> Windows(byte* p0, byte* p1, byte* p2, byte* p3) =>
        Vector512.Create(Vector256.Create(Vector128.Load(p0), Vector128.Load(p1)), Vector256.Create(Vector128.Load(p2), Vector128.Load(p3))).AsInt32();

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<int> LoadWeights(int* weights) => Vector512.Load(weights);

    public static Vector512<int> TapMask(int tap) => Vector512.Create(ResampleTapMasks.Tap(tap)).AsInt32();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> MultiplyAddTap(Vector512<int> acc, Vector512<int> windows, Vector512<int> mask, Vector512<int> weights) =>
        acc + Avx512BW.Shuffle(windows.AsByte(), mask.AsByte()).AsInt32() * weights;

    /// <summary>Negatives to 0 first, then unsigned saturation to 255 (vpmovusdb).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> Clip(Vector512<int> acc) => Vector128.Shuffle(ClipToBytes(acc), ResampleTapMasks.Compact);

    public static int Count => Vector512<int>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<int> Widen(byte* source) => Avx512F.ConvertToVector512Int32(Vector128.Load(source));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<int> Broadcast(int value) => Vector512.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<int> MultiplyAdd(Vector512<int> acc, Vector512<int> a, Vector512<int> b) => acc + a * b;

    /// <summary>Signed saturation to int16, then unsigned saturation to 0..255; the packs work per 128-bit lane, so a permute restores the order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ClipStore(Vector512<int> acc0, Vector512<int> acc1, Vector512<int> acc2, Vector512<int> acc3, byte* destination)
    {
        Vector512<short> s01 = Avx512BW.PackSignedSaturate(acc0 >> ResampleAxis.PrecisionBits, acc1 >> ResampleAxis.PrecisionBits);
        Vector512<short> s23 = Avx512BW.PackSignedSaturate(acc2 >> ResampleAxis.PrecisionBits, acc3 >> ResampleAxis.PrecisionBits);
        Vector512<byte> packed = Avx512BW.PackUnsignedSaturate(s01, s23);
        // Dword d of the packed result comes from dword (d % 4) * 4 + d / 4.
        Avx512F.PermuteVar16x32(packed.AsInt32(), Vector512.Create(0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15)).AsByte().Store(destination);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ClipStore(Vector512<int> acc, byte* destination) => ClipToBytes(acc).Store(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> ClipToBytes(Vector512<int> acc) =>
        Avx512F.ConvertToVector128ByteWithSaturation(Vector512.Max(acc >> ResampleAxis.PrecisionBits, Vector512<int>.Zero).AsUInt32());
}
