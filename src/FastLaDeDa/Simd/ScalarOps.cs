using System.Runtime.CompilerServices;

namespace FastLaDeDa.Simd;

/// <summary>One float per "register": the portable fallback, same algorithm as the SIMD widths.</summary>
internal readonly struct ScalarOps : ISimdOps<float>
{
    public static int Count => 1;
    public static string Isa => "Scalar";
    public static bool IsSupported => true;
    public static bool StemInRegisters => false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Load(ref float source) => source;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(ref float destination, float value) => destination = value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Broadcast(float value) => value;
    public static float Zero => 0f;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float MultiplyAdd(float a, float b, float c) => MathF.FusedMultiplyAdd(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Multiply(float a, float b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Add(float a, float b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Subtract(float a, float b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Divide(float a, float b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Max(float a, float b) => a > b ? a : b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Even(float low, float high) => low;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Odd(float low, float high) => high;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Interleave(float even, float odd, out float low, out float high) { low = even; high = odd; }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void DuplicateEven(float low, float high, out float lowAnchors, out float highAnchors) { lowAnchors = low; highAnchors = low; }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void DeinterleaveRgb(ref byte rgb, ref float r, ref float g, ref float b)
    {
        r = rgb; g = Unsafe.Add(ref rgb, 1); b = Unsafe.Add(ref rgb, 2);
        Unsafe.Add(ref r, 1) = Unsafe.Add(ref rgb, 3); Unsafe.Add(ref g, 1) = Unsafe.Add(ref rgb, 4); Unsafe.Add(ref b, 1) = Unsafe.Add(ref rgb, 5);
    }
}
