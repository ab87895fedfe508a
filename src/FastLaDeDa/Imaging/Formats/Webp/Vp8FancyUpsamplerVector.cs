using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace FastLaDeDa.Imaging.Formats.Webp;

/// <summary>
/// <see cref="Vp8FancyUpsampler.UpsampleRows"/> eight chroma pairs (16 output samples per row) at
/// a time: the same integer formula in 16-bit lanes, the odd and even outputs interleaved with
/// an SSE2 byte unpack. Edges and the remainder use the scalar code.
/// </summary>
internal static class Vp8FancyUpsamplerVector
{
    /// <summary>True when the vector upsampler can run on this machine.</summary>
    public static bool IsSupported => Sse2.IsSupported && Vector128.IsHardwareAccelerated;

    /// <summary>Same contract as <see cref="Vp8FancyUpsampler.UpsampleRows"/>.</summary>
    public static void UpsampleRows(ReadOnlySpan<byte> top, ReadOnlySpan<byte> bottom, Span<byte> nearTop, Span<byte> nearBottom, int width)
    {
        int pairs = (width - 1) >> 1;
        top = top[..(pairs + 1)];
        bottom = bottom[..(pairs + 1)];
        nearTop = nearTop[..width];
        nearBottom = nearBottom[..width];
        Vp8FancyUpsampler.FirstColumn(top, bottom, nearTop, nearBottom);
        ref byte topRef = ref MemoryMarshal.GetReference(top), bottomRef = ref MemoryMarshal.GetReference(bottom);
        ref byte nearTopRef = ref MemoryMarshal.GetReference(nearTop), nearBottomRef = ref MemoryMarshal.GetReference(nearBottom);
        int x = 1;
        // Pairs x..x+7 read samples x-1..x+7 and write outputs 2x-1..2x+14.
        for (; x + 7 <= pairs; x += 8)
        {
            Vector128<short> topLeft = Load8(ref topRef, x - 1), t = Load8(ref topRef, x);
            Vector128<short> left = Load8(ref bottomRef, x - 1), b = Load8(ref bottomRef, x);
            Vector128<short> sum = topLeft + t + left + b + Vector128.Create((short)8);
            Vector128<short> diagonal12 = Vector128.ShiftRightArithmetic(sum + ((t + left) << 1), 3);
            Vector128<short> diagonal03 = Vector128.ShiftRightArithmetic(sum + ((topLeft + b) << 1), 3);
            Store16(ref nearTopRef, 2 * x - 1, Vector128.ShiftRightArithmetic(diagonal12 + topLeft, 1), Vector128.ShiftRightArithmetic(diagonal03 + t, 1));
            Store16(ref nearBottomRef, 2 * x - 1, Vector128.ShiftRightArithmetic(diagonal03 + left, 1), Vector128.ShiftRightArithmetic(diagonal12 + b, 1));
        }
        Vp8FancyUpsampler.UpsamplePairs(top, bottom, nearTop, nearBottom, x, pairs);
        Vp8FancyUpsampler.LastColumn(top, bottom, nearTop, nearBottom, width);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<short> Load8(ref byte row, int at) =>
        Vector128.WidenLower(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref row, at))).AsByte()).AsInt16();

    /// <summary>Stores odd[0], even[0], odd[1], even[1], ... (16 bytes) at <paramref name="at"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store16(ref byte row, int at, Vector128<short> odd, Vector128<short> even)
    {
        Vector128<byte> interleaved = Sse2.UnpackLow(Sse2.PackUnsignedSaturate(odd, odd), Sse2.PackUnsignedSaturate(even, even));
        interleaved.StoreUnsafe(ref row, (nuint)at);
    }
}
