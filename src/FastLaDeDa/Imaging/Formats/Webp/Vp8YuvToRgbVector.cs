using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace FastLaDeDa.Imaging.Formats.Webp;

/// <summary>
/// <see cref="Vp8YuvToRgb.ConvertRow"/> 16 pixels at a time with SSE2/SSSE3, the way libwebp's
/// SSE2 code computes it (equal to its C formulas): 16-bit lanes, <c>mulhi_epu16(x &lt;&lt; 8, c)</c>
/// for <c>(x * c) >> 8</c>, blue in unsigned saturating arithmetic because it exceeds int16,
/// then a descale by 6 and an unsigned-saturating pack, which is the [0, 255] clip. The planar
/// results are interleaved to R G B with byte shuffles. The tail (width % 16) is scalar.
/// </summary>
internal static class Vp8YuvToRgbVector
{
    /// <summary>True when the vector conversion can run on this machine.</summary>
    public static bool IsSupported => Ssse3.IsSupported;

    /// <summary>Same contract as <see cref="Vp8YuvToRgb.ConvertRow"/>.</summary>
    public static void ConvertRow(ReadOnlySpan<byte> y, ReadOnlySpan<byte> u, ReadOnlySpan<byte> v, Span<byte> rgb)
    {
        int width = y.Length;
        u = u[..width];
        v = v[..width];
        rgb = rgb[..(3 * width)];
        int x = 0;
        ref byte yRef = ref MemoryMarshal.GetReference(y), uRef = ref MemoryMarshal.GetReference(u), vRef = ref MemoryMarshal.GetReference(v);
        ref byte rgbRef = ref MemoryMarshal.GetReference(rgb);
        for (; x + 16 <= width; x += 16)
        {
            Vector128<byte> luma = Vector128.LoadUnsafe(ref yRef, (nuint)x);
            Vector128<byte> cb = Vector128.LoadUnsafe(ref uRef, (nuint)x);
            Vector128<byte> cr = Vector128.LoadUnsafe(ref vRef, (nuint)x);
            Convert8(Sse2.UnpackLow(Vector128<byte>.Zero, luma).AsUInt16(), Sse2.UnpackLow(Vector128<byte>.Zero, cb).AsUInt16(),
                Sse2.UnpackLow(Vector128<byte>.Zero, cr).AsUInt16(), out var r0, out var g0, out var b0);
            Convert8(Sse2.UnpackHigh(Vector128<byte>.Zero, luma).AsUInt16(), Sse2.UnpackHigh(Vector128<byte>.Zero, cb).AsUInt16(),
                Sse2.UnpackHigh(Vector128<byte>.Zero, cr).AsUInt16(), out var r1, out var g1, out var b1);
            Interleave(Sse2.PackUnsignedSaturate(r0, r1), Sse2.PackUnsignedSaturate(g0, g1), Sse2.PackUnsignedSaturate(b0, b1),
                ref Unsafe.Add(ref rgbRef, 3 * x));
        }
        if (x < width) Vp8YuvToRgb.ConvertRow(y[x..], u[x..], v[x..], rgb[(3 * x)..]);
    }

    /// <summary>Eight pixels; inputs are the samples shifted left by 8, outputs already descaled (to be clipped by the pack).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Convert8(Vector128<ushort> y, Vector128<ushort> u, Vector128<ushort> v,
        out Vector128<short> r, out Vector128<short> g, out Vector128<short> b)
    {
        Vector128<ushort> luma = Sse2.MultiplyHigh(y, Vector128.Create((ushort)19077));
        Vector128<short> red = luma.AsInt16() + Sse2.MultiplyHigh(v, Vector128.Create((ushort)26149)).AsInt16() - Vector128.Create((short)14234);
        Vector128<short> green = luma.AsInt16() - Sse2.MultiplyHigh(u, Vector128.Create((ushort)6419)).AsInt16()
            - Sse2.MultiplyHigh(v, Vector128.Create((ushort)13320)).AsInt16() + Vector128.Create((short)8708);
        Vector128<ushort> blue = Sse2.SubtractSaturate(Sse2.AddSaturate(Sse2.MultiplyHigh(u, Vector128.Create((ushort)33050)), luma), Vector128.Create((ushort)17685));
        r = Vector128.ShiftRightArithmetic(red, 6);
        g = Vector128.ShiftRightArithmetic(green, 6);
        b = Vector128.ShiftRightLogical(blue, 6).AsInt16();
    }

    /// <summary>Writes 16 pixels as 48 bytes R G B R G B ...</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Interleave(Vector128<byte> r, Vector128<byte> g, Vector128<byte> b, ref byte destination)
    {
        // Output byte k of each 16-byte part takes channel k % 3 of pixel k / 3; 0x80 selects zero.
        Vector128<byte> part0 = Ssse3.Shuffle(r, Vector128.Create((byte)0, 0x80, 0x80, 1, 0x80, 0x80, 2, 0x80, 0x80, 3, 0x80, 0x80, 4, 0x80, 0x80, 5))
            | Ssse3.Shuffle(g, Vector128.Create((byte)0x80, 0, 0x80, 0x80, 1, 0x80, 0x80, 2, 0x80, 0x80, 3, 0x80, 0x80, 4, 0x80, 0x80))
            | Ssse3.Shuffle(b, Vector128.Create((byte)0x80, 0x80, 0, 0x80, 0x80, 1, 0x80, 0x80, 2, 0x80, 0x80, 3, 0x80, 0x80, 4, 0x80));
        Vector128<byte> part1 = Ssse3.Shuffle(r, Vector128.Create((byte)0x80, 0x80, 6, 0x80, 0x80, 7, 0x80, 0x80, 8, 0x80, 0x80, 9, 0x80, 0x80, 10, 0x80))
            | Ssse3.Shuffle(g, Vector128.Create((byte)5, 0x80, 0x80, 6, 0x80, 0x80, 7, 0x80, 0x80, 8, 0x80, 0x80, 9, 0x80, 0x80, 10))
            | Ssse3.Shuffle(b, Vector128.Create((byte)0x80, 5, 0x80, 0x80, 6, 0x80, 0x80, 7, 0x80, 0x80, 8, 0x80, 0x80, 9, 0x80, 0x80));
        Vector128<byte> part2 = Ssse3.Shuffle(r, Vector128.Create((byte)0x80, 11, 0x80, 0x80, 12, 0x80, 0x80, 13, 0x80, 0x80, 14, 0x80, 0x80, 15, 0x80, 0x80))
            | Ssse3.Shuffle(g, Vector128.Create((byte)0x80, 0x80, 11, 0x80, 0x80, 12, 0x80, 0x80, 13, 0x80, 0x80, 14, 0x80, 0x80, 15, 0x80))
            | Ssse3.Shuffle(b, Vector128.Create((byte)10, 0x80, 0x80, 11, 0x80, 0x80, 12, 0x80, 0x80, 13, 0x80, 0x80, 14, 0x80, 0x80, 15));
        part0.StoreUnsafe(ref destination);
        part1.StoreUnsafe(ref destination, 16);
        part2.StoreUnsafe(ref destination, 32);
    }
}
