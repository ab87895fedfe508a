using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace FastLaDeDa.Imaging.Webp;

/// <summary>
/// The pixel arithmetic of the VP8L inverse transforms (RFC 9649 §4) and of the ARGB to RGB output,
/// on spans of ARGB pixels (<c>0xAARRGGBB</c>). Each operation has a scalar form (the reference,
/// <c>Scalar</c>-suffixed, used by the tests to check the vector forms) and, where the work is
/// independent per pixel, a Vector128/Vector256 form picked when the hardware accelerates it.
/// </summary>
internal static class Vp8LInverseTransforms
{
    private const uint Black = 0xFF000000;

    /// <summary>Adds per channel, modulo 256.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint AddPixels(uint a, uint b) =>
        (((a & 0xFF00FF00u) + (b & 0xFF00FF00u)) & 0xFF00FF00u) | (((a & 0x00FF00FFu) + (b & 0x00FF00FFu)) & 0x00FF00FFu);

    /// <summary>Per-channel average, rounded down.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Average2(uint a, uint b) => (((a ^ b) & 0xFEFEFEFEu) >> 1) + (a & b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Channel(uint pixel, int shift) => (int)((pixel >> shift) & 0xFF);

    /// <summary>Predictor 11: whichever of top and left is closer to the gradient estimate.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Select(uint top, uint left, uint topLeft)
    {
        int leftMinusTop = 0;
        for (int shift = 0; shift < 32; shift += 8)
        {
            int tl = Channel(topLeft, shift);
            leftMinusTop += Math.Abs(Channel(left, shift) - tl) - Math.Abs(Channel(top, shift) - tl);
        }
        return leftMinusTop <= 0 ? top : left;
    }

    /// <summary>Predictor 12: a + b − c per channel, clamped.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint ClampedAddSubtractFull(uint a, uint b, uint c)
    {
        uint result = 0;
        for (int shift = 0; shift < 32; shift += 8)
            result |= (uint)Math.Clamp(Channel(a, shift) + Channel(b, shift) - Channel(c, shift), 0, 255) << shift;
        return result;
    }

    /// <summary>Predictor 13: avg + (avg − c) / 2 per channel (division truncating toward zero), clamped.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint ClampedAddSubtractHalf(uint average, uint c)
    {
        uint result = 0;
        for (int shift = 0; shift < 32; shift += 8)
        {
            int a = Channel(average, shift);
            result |= (uint)Math.Clamp(a + (a - Channel(c, shift)) / 2, 0, 255) << shift;
        }
        return result;
    }

    /// <summary>
    /// Adds predictor <paramref name="mode"/>'s prediction to each residual of <paramref name="input"/>
    /// and writes the pixels to <paramref name="buffer"/> from <paramref name="start"/>: left neighbour
    /// at <c>start − 1</c>, the row above <paramref name="width"/> pixels back. <paramref name="input"/>
    /// may be the output's own memory. Modes 14 and 15 predict black, as in libwebp.
    /// </summary>
    public static void PredictorAdd(int mode, ReadOnlySpan<uint> input, Span<uint> buffer, int start, int width)
    {
        if (Vector128.IsHardwareAccelerated && input.Length >= Vector128<uint>.Count && !DependsOnLeft(mode))
            PredictorAddFromAbove(mode, input, buffer, start, width);
        else
            PredictorAddScalar(mode, input, buffer, start, width);
    }

    /// <summary>Whether a predictor uses the pixel just decoded (which rules out vectors).</summary>
    private static bool DependsOnLeft(int mode) => mode is 1 or 5 or 6 or 7 or 10 or 11 or 12 or 13;

    /// <summary>The scalar reference of <see cref="PredictorAdd"/>.</summary>
    public static void PredictorAddScalar(int mode, ReadOnlySpan<uint> input, Span<uint> buffer, int start, int width)
    {
        int count = input.Length;
        Span<uint> output = buffer.Slice(start, count);
        // 'above' starts one pixel before the top neighbour, so that TL, T and TR are above[i], above[i + 1], above[i + 2].
        // For the first pixel of a row's first band TL is never used (mode 2 there), so the slice may start at start − width.
        int aboveStart = start - width - 1;
        switch (mode)
        {
            case 1:
            {
                uint left = buffer[start - 1];
                for (int i = 0; i < count; i++) output[i] = left = AddPixels(input[i], left);
                return;
            }
            case 2:
                for (int i = 0; i < count; i++) output[i] = AddPixels(input[i], buffer[start - width + i]);
                return;
            case 3:
                for (int i = 0; i < count; i++) output[i] = AddPixels(input[i], buffer[start - width + i + 1]);
                return;
            case 4:
                for (int i = 0; i < count; i++) output[i] = AddPixels(input[i], buffer[aboveStart + i]);
                return;
            case 5:
            {
                uint left = buffer[start - 1];
                for (int i = 0; i < count; i++)
                    output[i] = left = AddPixels(input[i], Average2(Average2(left, buffer[aboveStart + i + 2]), buffer[aboveStart + i + 1]));
                return;
            }
            case 6:
            {
                uint left = buffer[start - 1];
                for (int i = 0; i < count; i++) output[i] = left = AddPixels(input[i], Average2(left, buffer[aboveStart + i]));
                return;
            }
            case 7:
            {
                uint left = buffer[start - 1];
                for (int i = 0; i < count; i++) output[i] = left = AddPixels(input[i], Average2(left, buffer[aboveStart + i + 1]));
                return;
            }
            case 8:
                for (int i = 0; i < count; i++) output[i] = AddPixels(input[i], Average2(buffer[aboveStart + i], buffer[aboveStart + i + 1]));
                return;
            case 9:
                for (int i = 0; i < count; i++) output[i] = AddPixels(input[i], Average2(buffer[aboveStart + i + 1], buffer[aboveStart + i + 2]));
                return;
            case 10:
            {
                uint left = buffer[start - 1];
                for (int i = 0; i < count; i++)
                {
                    uint prediction = Average2(Average2(left, buffer[aboveStart + i]), Average2(buffer[aboveStart + i + 1], buffer[aboveStart + i + 2]));
                    output[i] = left = AddPixels(input[i], prediction);
                }
                return;
            }
            case 11:
            {
                uint left = buffer[start - 1];
                for (int i = 0; i < count; i++)
                    output[i] = left = AddPixels(input[i], Select(buffer[aboveStart + i + 1], left, buffer[aboveStart + i]));
                return;
            }
            case 12:
            {
                uint left = buffer[start - 1];
                for (int i = 0; i < count; i++)
                    output[i] = left = AddPixels(input[i], ClampedAddSubtractFull(left, buffer[aboveStart + i + 1], buffer[aboveStart + i]));
                return;
            }
            case 13:
            {
                uint left = buffer[start - 1];
                for (int i = 0; i < count; i++)
                    output[i] = left = AddPixels(input[i], ClampedAddSubtractHalf(Average2(left, buffer[aboveStart + i + 1]), buffer[aboveStart + i]));
                return;
            }
            default: // 0, 14, 15
                for (int i = 0; i < count; i++) output[i] = AddPixels(input[i], Black);
                return;
        }
    }

    /// <summary>Vector form of the predictors that only look at the row above (0, 2, 3, 4, 8, 9, 14, 15).</summary>
    private static void PredictorAddFromAbove(int mode, ReadOnlySpan<uint> input, Span<uint> buffer, int start, int width)
    {
        int count = input.Length;
        ref uint output = ref MemoryMarshal.GetReference(buffer.Slice(start, count));
        ref uint residuals = ref MemoryMarshal.GetReference(input);
        // The top-left neighbour of the band's first pixel is never read with start == width (it would be
        // out of the buffer only for column 0, which uses mode 2).
        int aboveOffset = start - width;
        int i = 0;
        for (; i <= count - Vector128<uint>.Count; i += Vector128<uint>.Count)
        {
            Vector128<uint> prediction = mode switch
            {
                2 => Vector128.LoadUnsafe(ref buffer[aboveOffset + i]),
                3 => Vector128.LoadUnsafe(ref buffer[aboveOffset + i + 1]),
                4 => Vector128.LoadUnsafe(ref buffer[aboveOffset + i - 1]),
                8 => Average2(Vector128.LoadUnsafe(ref buffer[aboveOffset + i - 1]), Vector128.LoadUnsafe(ref buffer[aboveOffset + i])),
                9 => Average2(Vector128.LoadUnsafe(ref buffer[aboveOffset + i]), Vector128.LoadUnsafe(ref buffer[aboveOffset + i + 1])),
                _ => Vector128.Create(Black),
            };
            // Loads above come before the store: for mode 3 the last pixel's top-right is this row's first pixel.
            Vector128<uint> residual = Vector128.LoadUnsafe(ref residuals, (nuint)i);
            (residual.AsByte() + prediction.AsByte()).AsUInt32().StoreUnsafe(ref output, (nuint)i);
        }
        if (i < count)
            PredictorAddScalar(mode, input[i..], buffer, start + i, width);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<uint> Average2(Vector128<uint> a, Vector128<uint> b) =>
        Vector128.ShiftRightLogical((a ^ b) & Vector128.Create(0xFEFEFEFEu), 1) + (a & b);

    /// <summary>Inverse subtract-green: adds green to red and blue, modulo 256. <paramref name="input"/> may be <paramref name="output"/>.</summary>
    public static void AddGreenToBlueAndRed(ReadOnlySpan<uint> input, Span<uint> output)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref uint source = ref MemoryMarshal.GetReference(input);
            ref uint destination = ref MemoryMarshal.GetReference(output);
            for (; i <= input.Length - Vector256<uint>.Count; i += Vector256<uint>.Count)
            {
                Vector256<uint> pixels = Vector256.LoadUnsafe(ref source, (nuint)i);
                Vector256<uint> green = Vector256.ShiftRightLogical(pixels, 8) & Vector256.Create(0xFFu);
                (pixels.AsByte() + (green | Vector256.ShiftLeft(green, 16)).AsByte()).AsUInt32().StoreUnsafe(ref destination, (nuint)i);
            }
        }
        AddGreenToBlueAndRedScalar(input[i..], output[i..]);
    }

    /// <summary>The scalar reference of <see cref="AddGreenToBlueAndRed"/>.</summary>
    public static void AddGreenToBlueAndRedScalar(ReadOnlySpan<uint> input, Span<uint> output)
    {
        for (int i = 0; i < input.Length; i++)
        {
            uint argb = input[i];
            uint green = (argb >> 8) & 0xFF;
            uint redBlue = ((argb & 0x00FF00FFu) + ((green << 16) | green)) & 0x00FF00FFu;
            output[i] = (argb & 0xFF00FF00u) | redBlue;
        }
    }

    /// <summary>
    /// Inverse cross-color with the multipliers of one tile (<paramref name="colorCode"/>: green→red in
    /// bits 0-7, green→blue in 8-15, red→blue in 16-23, each a signed byte, products scaled by 1/32).
    /// </summary>
    public static void TransformColorInverse(uint colorCode, ReadOnlySpan<uint> input, Span<uint> output)
    {
        int i = 0;
        if (Vector128.IsHardwareAccelerated && input.Length >= Vector128<uint>.Count)
        {
            ref uint source = ref MemoryMarshal.GetReference(input);
            ref uint destination = ref MemoryMarshal.GetReference(output);
            var greenToRed = Vector128.Create((int)(sbyte)colorCode);
            var greenToBlue = Vector128.Create((int)(sbyte)(colorCode >> 8));
            var redToBlue = Vector128.Create((int)(sbyte)(colorCode >> 16));
            var byteMask = Vector128.Create(0xFF);
            for (; i <= input.Length - Vector128<uint>.Count; i += Vector128<uint>.Count)
            {
                Vector128<int> pixels = Vector128.LoadUnsafe(ref source, (nuint)i).AsInt32();
                Vector128<int> green = Vector128.ShiftRightArithmetic(Vector128.ShiftLeft(pixels, 16), 24);
                Vector128<int> red = (Vector128.ShiftRightLogical(pixels, 16) + Vector128.ShiftRightArithmetic(greenToRed * green, 5)) & byteMask;
                Vector128<int> signedRed = Vector128.ShiftRightArithmetic(Vector128.ShiftLeft(red, 24), 24);
                Vector128<int> blue = (pixels + Vector128.ShiftRightArithmetic(greenToBlue * green, 5)
                    + Vector128.ShiftRightArithmetic(redToBlue * signedRed, 5)) & byteMask;
                ((pixels & Vector128.Create(unchecked((int)0xFF00FF00))) | Vector128.ShiftLeft(red, 16) | blue)
                    .AsUInt32().StoreUnsafe(ref destination, (nuint)i);
            }
        }
        TransformColorInverseScalar(colorCode, input[i..], output[i..]);
    }

    /// <summary>The scalar reference of <see cref="TransformColorInverse"/>.</summary>
    public static void TransformColorInverseScalar(uint colorCode, ReadOnlySpan<uint> input, Span<uint> output)
    {
        int greenToRed = (sbyte)colorCode;
        int greenToBlue = (sbyte)(colorCode >> 8);
        int redToBlue = (sbyte)(colorCode >> 16);
        for (int i = 0; i < input.Length; i++)
        {
            uint argb = input[i];
            int green = (sbyte)(argb >> 8);
            int red = (int)((argb >> 16) & 0xFF);
            int blue = (int)(argb & 0xFF);
            red = (red + ((greenToRed * green) >> 5)) & 0xFF;
            blue = (blue + ((greenToBlue * green) >> 5) + ((redToBlue * (sbyte)red) >> 5)) & 0xFF;
            output[i] = (argb & 0xFF00FF00u) | ((uint)red << 16) | (uint)blue;
        }
    }

    /// <summary>Looks each pixel's green channel up in <paramref name="palette"/> (256 entries).</summary>
    public static void MapColors(ReadOnlySpan<uint> input, ReadOnlySpan<uint> palette, Span<uint> output)
    {
        palette = palette[..256];
        for (int i = 0; i < input.Length; i++)
            output[i] = palette[(int)((input[i] >> 8) & 0xFF)];
    }

    /// <summary>Writes the R, G, B bytes of each ARGB pixel (alpha dropped, as <c>convert("RGB")</c> does).</summary>
    public static void ArgbToRgb(ReadOnlySpan<uint> input, Span<byte> output)
    {
        int i = 0;
        if (Vector128.IsHardwareAccelerated)
        {
            ref uint source = ref MemoryMarshal.GetReference(input);
            ref byte destination = ref MemoryMarshal.GetReference(output);
            // B G R A per pixel in memory: pick R, G, B of four pixels into the first 12 bytes.
            var shuffle = Vector128.Create((byte)2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, 0x80, 0x80, 0x80, 0x80);
            // Each store writes 16 bytes of which 12 are kept, so stop while 4 spare bytes remain in the output.
            for (; i * 3 + 16 <= output.Length && i + 4 <= input.Length; i += 4)
            {
                Vector128<byte> pixels = Vector128.LoadUnsafe(ref source, (nuint)i).AsByte();
                Vector128.Shuffle(pixels, shuffle).StoreUnsafe(ref destination, (nuint)(i * 3));
            }
        }
        ArgbToRgbScalar(input[i..], output[(i * 3)..]);
    }

    /// <summary>The scalar reference of <see cref="ArgbToRgb"/>.</summary>
    public static void ArgbToRgbScalar(ReadOnlySpan<uint> input, Span<byte> output)
    {
        for (int i = 0; i < input.Length; i++)
        {
            uint argb = input[i];
            output[3 * i] = (byte)(argb >> 16);
            output[3 * i + 1] = (byte)(argb >> 8);
            output[3 * i + 2] = (byte)argb;
        }
    }
}
