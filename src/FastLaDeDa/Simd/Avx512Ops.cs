using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace FastLaDeDa.Simd;

/// <summary>16 floats per register: x86 AVX-512F.</summary>
internal readonly struct Avx512Ops : ISimdOps<Vector512<float>>
{

    public static int Count => Vector512<float>.Count;
    public static string Isa => "Vector512";
    public static bool IsSupported => Vector512.IsHardwareAccelerated && Avx512F.IsSupported;
    public static bool StemInRegisters => true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Load(ref float source) => Vector512.LoadUnsafe(ref source);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(ref float destination, Vector512<float> value) => value.StoreUnsafe(ref destination);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Broadcast(float value) => Vector512.Create(value);
    public static Vector512<float> Zero => Vector512<float>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> MultiplyAdd(Vector512<float> a, Vector512<float> b, Vector512<float> c) => Avx512F.FusedMultiplyAdd(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Multiply(Vector512<float> a, Vector512<float> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Add(Vector512<float> a, Vector512<float> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Subtract(Vector512<float> a, Vector512<float> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Divide(Vector512<float> a, Vector512<float> b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Max(Vector512<float> a, Vector512<float> b) => Avx512F.Max(a, b);

    // vpermt2ps: indices 0..15 pick from low, 16..31 from high (constant vectors, so the JIT keeps them in registers).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Even(Vector512<float> low, Vector512<float> high) =>
        Avx512F.PermuteVar16x32x2(low, Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30), high);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Odd(Vector512<float> low, Vector512<float> high) =>
        Avx512F.PermuteVar16x32x2(low, Vector512.Create(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31), high);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Interleave(Vector512<float> even, Vector512<float> odd, out Vector512<float> low, out Vector512<float> high)
    {
        low = Avx512F.PermuteVar16x32x2(even, Vector512.Create(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23), odd);
        high = Avx512F.PermuteVar16x32x2(even, Vector512.Create(8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31), odd);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void DuplicateEven(Vector512<float> low, Vector512<float> high, out Vector512<float> lowAnchors, out Vector512<float> highAnchors)
    {
        lowAnchors = Avx512F.Shuffle(low, low, 0b10_10_00_00);
        highAnchors = Avx512F.Shuffle(high, high, 0b10_10_00_00);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void DeinterleaveRgb(ref byte rgb, ref float r, ref float g, ref float b)
    {
        RgbDeinterleave.Split(ref rgb, out var r0, out var g0, out var b0);
        RgbDeinterleave.Split(ref Unsafe.Add(ref rgb, 48), out var r1, out var g1, out var b1);
        Widen(r0, ref r); Widen(r1, ref Unsafe.Add(ref r, 16));
        Widen(g0, ref g); Widen(g1, ref Unsafe.Add(ref g, 16));
        Widen(b0, ref b); Widen(b1, ref Unsafe.Add(ref b, 16));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Widen(Vector128<byte> bytes, ref float destination) =>
        Avx512F.ConvertToVector512Single(Avx512F.ConvertToVector512Int32(bytes)).StoreUnsafe(ref destination);
}
