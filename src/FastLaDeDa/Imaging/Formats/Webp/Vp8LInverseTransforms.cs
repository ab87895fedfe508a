using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace FastLaDeDa.Imaging.Formats.Webp;

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
    public static uint AddPixels(uint a, uint b) =>
        (((a & 0xFF00FF00u) + (b & 0xFF00FF00u)) & 0xFF00FF00u) | (((a & 0x00FF00FFu) + (b & 0x00FF00FFu)) & 0x00FF00FFu);

    /// <summary>Per-channel average, rounded down.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Average2(uint a, uint b) => (((a ^ b) & 0xFEFEFEFEu) >> 1) + (a & b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Channel(uint pixel, int shift) => (int)((pixel >> shift) & 0xFF);

    /// <summary>Predictor 11: whichever of top and left is closer to the gradient estimate (left only when strictly closer).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Select(uint top, uint left, uint topLeft)
    {
        if (Sse2.IsSupported)
        {
            // Sums of absolute byte differences (the upper bytes are zero in both operands).
            Vector128<byte> corner = Vector128.CreateScalar(topLeft).AsByte();
            int leftDistance = Sse2.SumAbsoluteDifferences(Vector128.CreateScalar(left).AsByte(), corner).AsInt32().ToScalar();
            int topDistance = Sse2.SumAbsoluteDifferences(Vector128.CreateScalar(top).AsByte(), corner).AsInt32().ToScalar();
            return leftDistance <= topDistance ? top : left;
        }
        return SelectScalar(top, left, topLeft);
    }

    /// <summary>The scalar reference of <see cref="Select"/>.</summary>
    internal static uint SelectScalar(uint top, uint left, uint topLeft)
    {
        int leftMinusTop = 0;
        for (int shift = 0; shift < 32; shift += 8)
        {
            int corner = Channel(topLeft, shift);
            leftMinusTop += Math.Abs(Channel(left, shift) - corner) - Math.Abs(Channel(top, shift) - corner);
        }
        return leftMinusTop <= 0 ? top : left;
    }

    /// <summary>Predictor 12: a + b − c per channel, clamped.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint ClampedAddSubtractFull(uint a, uint b, uint c)
    {
        if (Sse2.IsSupported)
        {
            Vector128<short> sum = Widen(a) + Widen(b) - Widen(c);
            return Sse2.PackUnsignedSaturate(sum, sum).AsUInt32().ToScalar();
        }
        return ClampedAddSubtractFullScalar(a, b, c);
    }

    /// <summary>The scalar reference of <see cref="ClampedAddSubtractFull"/>.</summary>
    internal static uint ClampedAddSubtractFullScalar(uint a, uint b, uint c)
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
        if (Sse2.IsSupported)
        {
            Vector128<short> a = Widen(average);
            Vector128<short> difference = a - Widen(c);
            // x / 2 rounded toward zero: add 1 to negative values before the arithmetic shift.
            Vector128<short> half = Vector128.ShiftRightArithmetic(difference + Vector128.ShiftRightLogical(difference.AsUInt16(), 15).AsInt16(), 1);
            Vector128<short> sum = a + half;
            return Sse2.PackUnsignedSaturate(sum, sum).AsUInt32().ToScalar();
        }
        return ClampedAddSubtractHalfScalar(average, c);
    }

    /// <summary>The scalar reference of <see cref="ClampedAddSubtractHalf"/>.</summary>
    internal static uint ClampedAddSubtractHalfScalar(uint average, uint c)
    {
        uint result = 0;
        for (int shift = 0; shift < 32; shift += 8)
        {
            int a = Channel(average, shift);
            result |= (uint)Math.Clamp(a + (a - Channel(c, shift)) / 2, 0, 255) << shift;
        }
        return result;
    }

    /// <summary>The four channels of a pixel as 16-bit lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<short> Widen(uint pixel) =>
        Sse2.UnpackLow(Vector128.CreateScalar(pixel).AsByte(), Vector128<byte>.Zero).AsInt16();

    /// <summary>
    /// Adds predictor <paramref name="mode"/>'s prediction to each residual of <paramref name="input"/>
    /// and writes the pixels to <paramref name="buffer"/> from <paramref name="start"/>: left neighbour
    /// at <c>start − 1</c>, the row above <paramref name="width"/> pixels back (so the top-right of a
    /// row's last pixel is the row's first pixel, as the format wants). <paramref name="input"/> may be
    /// the output's own memory. Modes 14 and 15 predict black, as in libwebp. The buffer must hold the
    /// top-left neighbour of the first pixel (<c>start − width − 1 ≥ 0</c>) even where it is not used.
    /// <paramref name="useVectors"/> false forces the scalar forms (the reference the tests compare with).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PredictorAdd(int mode, ReadOnlySpan<uint> input, Span<uint> buffer, int start, int width, bool useVectors = true)
    {
        int count = input.Length;
        if (count == 0) return; // a 1-pixel-wide image has no pixels right of the first column
        // One check for the whole run: from the top-left neighbour of its first pixel to its last pixel.
        if (start - width - 1 < 0 || start + count > buffer.Length) throw new ArgumentOutOfRangeException(nameof(start));
        ref uint output = ref buffer[start];
        ref uint above = ref buffer[start - width - 1]; // above[i], above[i + 1], above[i + 2]: TL, T, TR of pixel i
        ref uint residuals = ref MemoryMarshal.GetReference(input);
        int done = useVectors && Vector128.IsHardwareAccelerated && !DependsOnLeft(mode)
            ? PredictorAddFromAbove(mode, ref residuals, ref above, ref output, count)
            : 0;
        switch (mode)
        {
            case 1: PredictorLoop<LeftPredictor>(ref residuals, ref above, ref output, done, count); break;
            case 2: PredictorLoop<TopPredictor>(ref residuals, ref above, ref output, done, count); break;
            case 3: PredictorLoop<TopRightPredictor>(ref residuals, ref above, ref output, done, count); break;
            case 4: PredictorLoop<TopLeftPredictor>(ref residuals, ref above, ref output, done, count); break;
            case 5: PredictorLoop<AverageLeftTopRightTopPredictor>(ref residuals, ref above, ref output, done, count); break;
            case 6: PredictorLoop<AverageLeftTopLeftPredictor>(ref residuals, ref above, ref output, done, count); break;
            case 7: PredictorLoop<AverageLeftTopPredictor>(ref residuals, ref above, ref output, done, count); break;
            case 8: PredictorLoop<AverageTopLeftTopPredictor>(ref residuals, ref above, ref output, done, count); break;
            case 9: PredictorLoop<AverageTopTopRightPredictor>(ref residuals, ref above, ref output, done, count); break;
            case 10: PredictorLoop<AverageOfAveragesPredictor>(ref residuals, ref above, ref output, done, count); break;
            case 11 when useVectors: PredictorLoop<SelectPredictor>(ref residuals, ref above, ref output, done, count); break;
            case 11: PredictorLoop<SelectScalarPredictor>(ref residuals, ref above, ref output, done, count); break;
            case 12 when useVectors: PredictorLoop<ClampedFullPredictor>(ref residuals, ref above, ref output, done, count); break;
            case 12: PredictorLoop<ClampedFullScalarPredictor>(ref residuals, ref above, ref output, done, count); break;
            case 13 when useVectors: PredictorLoop<ClampedHalfPredictor>(ref residuals, ref above, ref output, done, count); break;
            case 13: PredictorLoop<ClampedHalfScalarPredictor>(ref residuals, ref above, ref output, done, count); break;
            default: PredictorLoop<BlackPredictor>(ref residuals, ref above, ref output, done, count); break; // 0, 14, 15
        }
    }

    /// <summary>One predictor (RFC 9649 §4.1) from the left, top-left, top and top-right neighbours.</summary>
    private interface IPredictor
    {
        static abstract uint Predict(uint left, uint topLeft, uint top, uint topRight);
    }

    private struct BlackPredictor : IPredictor
    {
        public static uint Predict(uint left, uint topLeft, uint top, uint topRight) => Black;
    }

    private struct LeftPredictor : IPredictor
    {
        public static uint Predict(uint left, uint topLeft, uint top, uint topRight) => left;
    }

    private struct TopPredictor : IPredictor
    {
        public static uint Predict(uint left, uint topLeft, uint top, uint topRight) => top;
    }

    private struct TopRightPredictor : IPredictor
    {
        public static uint Predict(uint left, uint topLeft, uint top, uint topRight) => topRight;
    }

    private struct TopLeftPredictor : IPredictor
    {
        public static uint Predict(uint left, uint topLeft, uint top, uint topRight) => topLeft;
    }

    private struct AverageLeftTopRightTopPredictor : IPredictor
    {
        public static uint Predict(uint left, uint topLeft, uint top, uint topRight) => Average2(Average2(left, topRight), top);
    }

    private struct AverageLeftTopLeftPredictor : IPredictor
    {
        public static uint Predict(uint left, uint topLeft, uint top, uint topRight) => Average2(left, topLeft);
    }

    private struct AverageLeftTopPredictor : IPredictor
    {
        public static uint Predict(uint left, uint topLeft, uint top, uint topRight) => Average2(left, top);
    }

    private struct AverageTopLeftTopPredictor : IPredictor
    {
        public static uint Predict(uint left, uint topLeft, uint top, uint topRight) => Average2(topLeft, top);
    }

    private struct AverageTopTopRightPredictor : IPredictor
    {
        public static uint Predict(uint left, uint topLeft, uint top, uint topRight) => Average2(top, topRight);
    }

    private struct AverageOfAveragesPredictor : IPredictor
    {
        public static uint Predict(uint left, uint topLeft, uint top, uint topRight) => Average2(Average2(left, topLeft), Average2(top, topRight));
    }

    private struct SelectPredictor : IPredictor
    {
        public static uint Predict(uint left, uint topLeft, uint top, uint topRight) => Select(top, left, topLeft);
    }

    private struct SelectScalarPredictor : IPredictor
    {
        public static uint Predict(uint left, uint topLeft, uint top, uint topRight) => SelectScalar(top, left, topLeft);
    }

    private struct ClampedFullPredictor : IPredictor
    {
        public static uint Predict(uint left, uint topLeft, uint top, uint topRight) => ClampedAddSubtractFull(left, top, topLeft);
    }

    private struct ClampedFullScalarPredictor : IPredictor
    {
        public static uint Predict(uint left, uint topLeft, uint top, uint topRight) => ClampedAddSubtractFullScalar(left, top, topLeft);
    }

    private struct ClampedHalfPredictor : IPredictor
    {
        public static uint Predict(uint left, uint topLeft, uint top, uint topRight) => ClampedAddSubtractHalf(Average2(left, top), topLeft);
    }

    private struct ClampedHalfScalarPredictor : IPredictor
    {
        public static uint Predict(uint left, uint topLeft, uint top, uint topRight) => ClampedAddSubtractHalfScalar(Average2(left, top), topLeft);
    }

    /// <summary>Pixels [<paramref name="from"/>, <paramref name="count"/>) of a run with predictor <typeparamref name="TPredictor"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PredictorLoop<TPredictor>(ref uint residuals, ref uint above, ref uint output, int from, int count)
        where TPredictor : struct, IPredictor
    {
        uint left = Unsafe.Add(ref output, from - 1);
        for (int i = from; i < count; i++)
        {
            uint prediction = TPredictor.Predict(left, Unsafe.Add(ref above, i), Unsafe.Add(ref above, i + 1), Unsafe.Add(ref above, i + 2));
            Unsafe.Add(ref output, i) = left = AddPixels(Unsafe.Add(ref residuals, i), prediction);
        }
    }

    /// <summary>Whether a predictor uses the pixel just decoded (which rules out vectors).</summary>
    private static bool DependsOnLeft(int mode) => mode is 1 or 5 or 6 or 7 or 10 or 11 or 12 or 13;

    /// <summary>
    /// Vector form of the predictors that only look at the row above (0, 2, 3, 4, 8, 9, 14, 15), four
    /// pixels at a time; returns how many pixels it did. Each group's loads come before its store: for
    /// mode 3 the last pixel's top-right is the row's first pixel, already written.
    /// </summary>
    private static int PredictorAddFromAbove(int mode, ref uint residuals, ref uint above, ref uint output, int count)
    {
        int i = 0;
        int last = count - Vector128<uint>.Count;
        switch (mode)
        {
            case 2:
                for (; i <= last; i += 4) Add(ref residuals, ref output, i, Vector128.LoadUnsafe(ref above, (nuint)(i + 1)));
                break;
            case 3:
                for (; i <= last; i += 4) Add(ref residuals, ref output, i, Vector128.LoadUnsafe(ref above, (nuint)(i + 2)));
                break;
            case 4:
                for (; i <= last; i += 4) Add(ref residuals, ref output, i, Vector128.LoadUnsafe(ref above, (nuint)i));
                break;
            case 8:
                for (; i <= last; i += 4)
                    Add(ref residuals, ref output, i, Average2(Vector128.LoadUnsafe(ref above, (nuint)i), Vector128.LoadUnsafe(ref above, (nuint)(i + 1))));
                break;
            case 9:
                for (; i <= last; i += 4)
                    Add(ref residuals, ref output, i, Average2(Vector128.LoadUnsafe(ref above, (nuint)(i + 1)), Vector128.LoadUnsafe(ref above, (nuint)(i + 2))));
                break;
            default:
                for (; i <= last; i += 4) Add(ref residuals, ref output, i, Vector128.Create(Black));
                break;
        }
        return i;

        static void Add(ref uint residuals, ref uint output, int i, Vector128<uint> prediction) =>
            (Vector128.LoadUnsafe(ref residuals, (nuint)i).AsByte() + prediction.AsByte()).AsUInt32().StoreUnsafe(ref output, (nuint)i);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<uint> Average2(Vector128<uint> a, Vector128<uint> b) =>
        Vector128.ShiftRightLogical((a ^ b) & Vector128.Create(0xFEFEFEFEu), 1) + (a & b);

    /// <summary>Inverse subtract-green: adds green to red and blue, modulo 256. <paramref name="input"/> may be <paramref name="output"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MapColors(ReadOnlySpan<uint> input, ReadOnlySpan<uint> palette, Span<uint> output)
    {
        palette = palette[..256];
        for (int i = 0; i < input.Length; i++)
            output[i] = palette[(int)((input[i] >> 8) & 0xFF)];
    }

    /// <summary>Writes the R, G, B bytes of each ARGB pixel (alpha dropped, as <c>convert("RGB")</c> does).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
