using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace FastLaDeDa.Simd;

/// <summary>8 floats per register: x86 AVX2 + FMA (the 256-bit permutes below are AVX2-only).</summary>
internal readonly struct Avx2Ops : ISimdOps<Vector256<float>>
{
    public static int Count => Vector256<float>.Count;
    public static string Isa => "Vector256";
    public static bool IsSupported => Vector256.IsHardwareAccelerated && Avx2.IsSupported && Fma.IsSupported;
    public static bool StemInRegisters => false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Load(ref float source) => Vector256.LoadUnsafe(ref source);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(ref float destination, Vector256<float> value) => value.StoreUnsafe(ref destination);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Broadcast(float value) => Vector256.Create(value);
    public static Vector256<float> Zero => Vector256<float>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> MultiplyAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c) => Fma.MultiplyAdd(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Multiply(Vector256<float> a, Vector256<float> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Add(Vector256<float> a, Vector256<float> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Subtract(Vector256<float> a, Vector256<float> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Divide(Vector256<float> a, Vector256<float> b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Max(Vector256<float> a, Vector256<float> b) => Avx.Max(a, b);

    // shuffle_ps picks within 128-bit lanes (l0 l2 h0 h2 | l4 l6 h4 h6); permute4x64 (0,2,1,3) puts the halves in order.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Even(Vector256<float> low, Vector256<float> high) =>
        Avx2.Permute4x64(Avx.Shuffle(low, high, 0b10_00_10_00).AsDouble(), 0b11_01_10_00).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Odd(Vector256<float> low, Vector256<float> high) =>
        Avx2.Permute4x64(Avx.Shuffle(low, high, 0b11_01_11_01).AsDouble(), 0b11_01_10_00).AsSingle();

    // unpacklo/hi zip within 128-bit lanes (e0 o0 e1 o1 | e4 o4 e5 o5); permute2x128 puts the lanes in order.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Interleave(Vector256<float> even, Vector256<float> odd, out Vector256<float> low, out Vector256<float> high)
    {
        Vector256<float> a = Avx.UnpackLow(even, odd), b = Avx.UnpackHigh(even, odd);
        low = Avx.Permute2x128(a, b, 0x20);
        high = Avx.Permute2x128(a, b, 0x31);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void DuplicateEven(Vector256<float> low, Vector256<float> high, out Vector256<float> lowAnchors, out Vector256<float> highAnchors)
    {
        lowAnchors = Avx.Shuffle(low, low, 0b10_10_00_00);
        highAnchors = Avx.Shuffle(high, high, 0b10_10_00_00);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void DeinterleaveRgb(ref byte rgb, ref float r, ref float g, ref float b)
    {
        RgbDeinterleave.Split(ref rgb, out var rb, out var gb, out var bb);
        Widen(rb, ref r);
        Widen(gb, ref g);
        Widen(bb, ref b);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Widen(Vector128<byte> bytes, ref float destination)
    {
        Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(bytes)).StoreUnsafe(ref destination);
        Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(Sse2.ShiftRightLogical128BitLane(bytes, 8))).StoreUnsafe(ref destination, 8);
    }
}
