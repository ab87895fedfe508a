namespace FastLaDeDa.Imaging.Resize;

/// <summary>The reference passes: one output byte at a time, a plain transcription of Pillow's loops.</summary>
internal sealed class ResamplerScalar : Resampler
{
    /// <summary>The single instance.</summary>
    public static ResamplerScalar Instance { get; } = new();

    private ResamplerScalar() { }

    /// <inheritdoc/>
    public override string Isa => "Scalar";

    /// <inheritdoc/>
    public override bool IsSupported => true;

    /// <inheritdoc/>
    public override unsafe void Horizontal(ReadOnlySpan<byte> source, int sourceWidth, HorizontalResampling pass, int firstRow, int rowCount, Span<byte> output)
    {
        ResampleAxis axis = pass.Axis;
        CheckHorizontal(source, sourceWidth, axis, firstRow, rowCount, output);
        int inStride = sourceWidth * 3;
        int outWidth = axis.OutputSize;
        int outStride = outWidth * 3;
        int kernelSize = axis.KernelSize;
        fixed (byte* input = source, result = output)
        fixed (int* weights = axis.FixedWeights, start = axis.Start, count = axis.Count)
        {
            for (int y = 0; y < rowCount; y++)
            {
                byte* inRow = input + (long)(firstRow + y) * inStride;
                byte* outPixel = result + (long)y * outStride;
                for (int x = 0; x < outWidth; x++, outPixel += 3)
                {
                    int* k = weights + x * kernelSize;
                    byte* p = inRow + start[x] * 3;
                    int taps = count[x];
                    int r = Half, g = Half, b = Half;
                    for (int t = 0; t < taps; t++, p += 3)
                    {
                        int w = k[t];
                        r += p[0] * w;
                        g += p[1] * w;
                        b += p[2] * w;
                    }
                    outPixel[0] = ClipToByte(r);
                    outPixel[1] = ClipToByte(g);
                    outPixel[2] = ClipToByte(b);
                }
            }
        }
    }

    /// <inheritdoc/>
    public override unsafe void Vertical(ReadOnlySpan<byte> rows, int width, ResampleAxis axis, int firstRow, Span<byte> output)
    {
        CheckVertical(rows, width, axis, firstRow, output);
        int stride = width * 3;
        int kernelSize = axis.KernelSize;
        var sums = new int[stride];
        fixed (byte* input = rows, result = output)
        fixed (int* weights = axis.FixedWeights, start = axis.Start, count = axis.Count, acc = sums)
        {
            for (int y = 0; y < axis.OutputSize; y++)
            {
                new Span<int>(acc, stride).Fill(Half);
                int* k = weights + y * kernelSize;
                byte* inRow = input + (long)(start[y] - firstRow) * stride;
                for (int t = 0; t < count[y]; t++, inRow += stride)
                {
                    int w = k[t];
                    for (int i = 0; i < stride; i++)
                        acc[i] += inRow[i] * w;
                }
                byte* outRow = result + (long)y * stride;
                for (int i = 0; i < stride; i++)
                    outRow[i] = ClipToByte(acc[i]);
            }
        }
    }
}
