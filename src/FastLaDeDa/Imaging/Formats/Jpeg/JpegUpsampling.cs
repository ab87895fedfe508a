namespace FastLaDeDa.Imaging.Formats.Jpeg;

/// <summary>How a component's samples are stretched to the output grid (libjpeg's <c>jdsample.c</c> choices).</summary>
internal enum JpegUpsamplingKind
{
    /// <summary>Already at full resolution.</summary>
    FullSize,

    /// <summary>2:1 horizontally: ¾ nearer + ¼ further sample ("fancy" triangle filter).</summary>
    FancyH2V1,

    /// <summary>2:1 both ways: the triangle filter in both directions (9/16, 3/16, 3/16, 1/16).</summary>
    FancyH2V2,

    /// <summary>2:1 vertically: the triangle filter between rows.</summary>
    FancyH1V2,

    /// <summary>Any integral ratio by replication (also 2:1 for components at most 2 samples wide).</summary>
    Replicate,
}

/// <summary>
/// libjpeg's upsamplers, bit for bit (the x86 SIMD versions give the same bytes). Fancy (triangle)
/// upsampling is what Pillow gets: <c>do_fancy_upsampling</c> is on, and libjpeg uses it for the
/// 2:1 ratios of components more than 2 samples wide; everything else is replicated.
/// </summary>
internal static class JpegUpsampling
{
    /// <summary>
    /// Chooses the method for a component sampled <paramref name="h"/>×<paramref name="v"/> in a
    /// frame whose largest factors are <paramref name="maxH"/>×<paramref name="maxV"/>; null when
    /// the ratio is not integral (libjpeg refuses those: <c>JERR_FRACT_SAMPLE_NOTIMPL</c>).
    /// </summary>
    public static JpegUpsamplingKind? Choose(int h, int v, int maxH, int maxV, int downsampledWidth, bool fancy)
    {
        if (h == maxH && v == maxV) return JpegUpsamplingKind.FullSize;
        if (h * 2 == maxH && v == maxV) return fancy && downsampledWidth > 2 ? JpegUpsamplingKind.FancyH2V1 : JpegUpsamplingKind.Replicate;
        if (h == maxH && v * 2 == maxV && fancy) return JpegUpsamplingKind.FancyH1V2;
        if (h * 2 == maxH && v * 2 == maxV) return fancy && downsampledWidth > 2 ? JpegUpsamplingKind.FancyH2V2 : JpegUpsamplingKind.Replicate;
        if (maxH % h == 0 && maxV % v == 0) return JpegUpsamplingKind.Replicate;
        return null;
    }

    /// <summary>2:1 horizontal triangle filter of one row of <paramref name="width"/> (&gt; 2) samples into 2 × width outputs (at least <paramref name="output"/>.Length are written... all 2 × width).</summary>
    public static void FancyH2V1(ReadOnlySpan<byte> input, int width, Span<byte> output)
    {
        int first = input[0];
        output[0] = (byte)first;
        output[1] = (byte)((first * 3 + input[1] + 2) >> 2);
        for (int x = 1; x < width - 1; x++)
        {
            int nearer = input[x] * 3;
            output[2 * x] = (byte)((nearer + input[x - 1] + 1) >> 2);
            output[2 * x + 1] = (byte)((nearer + input[x + 1] + 2) >> 2);
        }
        int last = input[width - 1];
        output[2 * width - 2] = (byte)((last * 3 + input[width - 2] + 1) >> 2);
        output[2 * width - 1] = (byte)last;
    }

    /// <summary>
    /// One output row of the 2:1 × 2:1 triangle filter: <paramref name="nearer"/> is the input row
    /// the output row lies in, <paramref name="further"/> the neighbouring row on the output row's
    /// side (above for the upper output row of the pair, below for the lower one). Rounding biases
    /// 8 and 7 alternate with the column, as in libjpeg.
    /// </summary>
    public static void FancyH2V2(ReadOnlySpan<byte> nearer, ReadOnlySpan<byte> further, int width, Span<byte> output)
    {
        int thisSum = nearer[0] * 3 + further[0];
        int nextSum = nearer[1] * 3 + further[1];
        output[0] = (byte)((thisSum * 4 + 8) >> 4);
        output[1] = (byte)((thisSum * 3 + nextSum + 7) >> 4);
        int lastSum = thisSum;
        thisSum = nextSum;
        for (int x = 1; x < width - 1; x++)
        {
            nextSum = nearer[x + 1] * 3 + further[x + 1];
            output[2 * x] = (byte)((thisSum * 3 + lastSum + 8) >> 4);
            output[2 * x + 1] = (byte)((thisSum * 3 + nextSum + 7) >> 4);
            lastSum = thisSum;
            thisSum = nextSum;
        }
        output[2 * width - 2] = (byte)((thisSum * 3 + lastSum + 8) >> 4);
        output[2 * width - 1] = (byte)((thisSum * 4 + 7) >> 4);
    }

    /// <summary>One output row of the 1:1 × 2:1 triangle filter; <paramref name="lowerRow"/> selects the bias (1 above, 2 below).</summary>
    public static void FancyH1V2(ReadOnlySpan<byte> nearer, ReadOnlySpan<byte> further, int width, bool lowerRow, Span<byte> output)
    {
        int bias = lowerRow ? 2 : 1;
        for (int x = 0; x < width; x++)
            output[x] = (byte)((nearer[x] * 3 + further[x] + bias) >> 2);
    }

    /// <summary>Replicates each input sample <paramref name="factor"/> times to fill <paramref name="output"/>.</summary>
    public static void Replicate(ReadOnlySpan<byte> input, int factor, Span<byte> output)
    {
        if (factor == 1)
        {
            input[..output.Length].CopyTo(output);
            return;
        }
        for (int x = 0, i = 0; x < output.Length; i++)
        {
            byte value = input[i];
            for (int k = 0; k < factor && x < output.Length; k++) output[x++] = value;
        }
    }
}
