using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace FastLaDeDa.Simd;

/// <summary>
/// 4 floats per register on every CPU with 128-bit SIMD and a fused multiply-add: ARM64 AdvSimd
/// (NEON) and x86 SSE4 + FMA. Portable <see cref="Vector128"/> operations where the JIT emits one
/// instruction on both, targeted intrinsics for the two-register shuffles it has no portable form for.
/// </summary>
/// <remarks>
/// A hardware FMA is required, not emulated: the kernels accumulate with one rounding per
/// multiply-add, as the scalar reference does (<see cref="MathF.FusedMultiplyAdd"/>), so a separate
/// multiply and add would not be bit-exact, and the software fallback of
/// <see cref="Vector128.FusedMultiplyAdd(Vector128{float}, Vector128{float}, Vector128{float})"/>
/// is slower than scalar. x86 machines without FMA (before Haswell), or runs with
/// <c>DOTNET_EnableAVX2=0</c> (which turns FMA off on .NET 10), fall back to scalar.
/// </remarks>
internal readonly struct Vector128Ops : ISimdOps<Vector128<float>>
{
    public static int Count => Vector128<float>.Count;
    public static string Isa => "Vector128";
    public static bool IsSupported => Vector128.IsHardwareAccelerated && (AdvSimd.Arm64.IsSupported || (Sse41.IsSupported && Fma.IsSupported));
    public static bool StemInRegisters => false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Load(ref float source) => Vector128.LoadUnsafe(ref source);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(ref float destination, Vector128<float> value) => value.StoreUnsafe(ref destination);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Broadcast(float value) => Vector128.Create(value);
    public static Vector128<float> Zero => Vector128<float>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> MultiplyAdd(Vector128<float> a, Vector128<float> b, Vector128<float> c) => Vector128.FusedMultiplyAdd(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Multiply(Vector128<float> a, Vector128<float> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Add(Vector128<float> a, Vector128<float> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Subtract(Vector128<float> a, Vector128<float> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Divide(Vector128<float> a, Vector128<float> b) => a / b;

    // maxps / fmax: the same as the scalar a > b ? a : b for every value the kernels see (the two
    // differ only on NaN); Vector128.Max would add the IEEE fix-ups for NaN and −0 on x86.
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Max(Vector128<float> a, Vector128<float> b) => Vector128.MaxNative(a, b);

    // x86: shufps picks two from each operand; ARM64: uzp1/uzp2.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Even(Vector128<float> low, Vector128<float> high) =>
        AdvSimd.Arm64.IsSupported ? AdvSimd.Arm64.UnzipEven(low, high) : Sse.Shuffle(low, high, 0b10_00_10_00);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Odd(Vector128<float> low, Vector128<float> high) =>
        AdvSimd.Arm64.IsSupported ? AdvSimd.Arm64.UnzipOdd(low, high) : Sse.Shuffle(low, high, 0b11_01_11_01);

    // x86: unpcklps/unpckhps; ARM64: zip1/zip2.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Interleave(Vector128<float> even, Vector128<float> odd, out Vector128<float> low, out Vector128<float> high)
    {
        if (AdvSimd.Arm64.IsSupported)
        {
            low = AdvSimd.Arm64.ZipLow(even, odd);
            high = AdvSimd.Arm64.ZipHigh(even, odd);
        }
        else
        {
            low = Sse.UnpackLow(even, odd);
            high = Sse.UnpackHigh(even, odd);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void DuplicateEven(Vector128<float> low, Vector128<float> high, out Vector128<float> lowAnchors, out Vector128<float> highAnchors)
    {
        lowAnchors = DuplicateEven(low);
        highAnchors = DuplicateEven(high);
    }

    // x86: shufps with itself; ARM64: trn1 with itself (a0 a0 a2 a2).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> DuplicateEven(Vector128<float> v) =>
        AdvSimd.Arm64.IsSupported ? AdvSimd.Arm64.TransposeEven(v, v) : Sse.Shuffle(v, v, 0b10_10_00_00);

    // An index of 0xFF (out of range) makes Vector128.Shuffle write 0, so the two partial gathers
    // can be OR-ed together (pshufb on x86, tbl on ARM64).
    private const byte Z = 0xFF;

    /// <summary>8 pixels (24 bytes: 16 loaded whole, 8 as one 64-bit load, never past the 24th byte).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void DeinterleaveRgb(ref byte rgb, ref float r, ref float g, ref float b)
    {
        Vector128<byte> a0 = Vector128.LoadUnsafe(ref rgb);
        Vector128<byte> a1 = Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref rgb, 16))).AsByte();
        // R = bytes 0, 3, ..., 21: six from a0, two from a1 (18, 21).
        Widen(Vector128.Shuffle(a0, Vector128.Create((byte)0, 3, 6, 9, 12, 15, Z, Z, Z, Z, Z, Z, Z, Z, Z, Z))
            | Vector128.Shuffle(a1, Vector128.Create(Z, Z, Z, Z, Z, Z, 2, 5, Z, Z, Z, Z, Z, Z, Z, Z)), ref r);
        // G = bytes 1, 4, ..., 22: five from a0, three from a1 (16, 19, 22).
        Widen(Vector128.Shuffle(a0, Vector128.Create((byte)1, 4, 7, 10, 13, Z, Z, Z, Z, Z, Z, Z, Z, Z, Z, Z))
            | Vector128.Shuffle(a1, Vector128.Create(Z, Z, Z, Z, Z, 0, 3, 6, Z, Z, Z, Z, Z, Z, Z, Z)), ref g);
        // B = bytes 2, 5, ..., 23: five from a0, three from a1 (17, 20, 23).
        Widen(Vector128.Shuffle(a0, Vector128.Create((byte)2, 5, 8, 11, 14, Z, Z, Z, Z, Z, Z, Z, Z, Z, Z, Z))
            | Vector128.Shuffle(a1, Vector128.Create(Z, Z, Z, Z, Z, 1, 4, 7, Z, Z, Z, Z, Z, Z, Z, Z)), ref b);
    }

    /// <summary>The low 8 bytes as 8 floats (0..255).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Widen(Vector128<byte> bytes, ref float destination)
    {
        Vector128<ushort> shorts = Vector128.WidenLower(bytes);
        Vector128.ConvertToSingle(Vector128.WidenLower(shorts).AsInt32()).StoreUnsafe(ref destination);
        Vector128.ConvertToSingle(Vector128.WidenUpper(shorts).AsInt32()).StoreUnsafe(ref destination, 4);
    }
}
