using System.Buffers;

namespace FastLaDeDa.Imaging.Formats.Jpeg;

internal sealed partial class JpegDecoder
{
    /// <summary>
    /// Produces the output rows: per iMCU row, the inverse DCT of its blocks into the component's
    /// ring of samples, then — one iMCU row later, once the row below is there for the fancy
    /// upsamplers — upsampling and colour conversion of the row before.
    /// </summary>
    private void Output(ReadOnlySpan<byte> data, IRgbRowSink sink)
    {
        sink.Start(_outputWidth, _outputHeight);
        _smoothing = _multipleScans && SmoothingApplies();
        var upsampled = new byte[_components.Length][];
        for (int i = 0; i < _components.Length; i++)
            upsampled[i] = ArrayPool<byte>.Shared.Rent(Math.Max(_outputWidth, 2 * _components[i].SampleStride) + 32);
        try
        {
            for (int row = 0; row < _totalIMcuRows; row++)
            {
                if (!_multipleScans) DecodeIMcuRow(data, row, wholeImage: false);
                InverseTransformIMcuRow(row);
                if (row > 0) EmitRows(row - 1, upsampled, sink);
            }
            EmitRows(_totalIMcuRows - 1, upsampled, sink);
        }
        finally
        {
            foreach (byte[] buffer in upsampled) ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Inverse DCT of every block of iMCU row <paramref name="iMcuRow"/> that holds image data.</summary>
    private void InverseTransformIMcuRow(int iMcuRow)
    {
        foreach (JpegComponent c in _components)
        {
            int blockRows = iMcuRow < _totalIMcuRows - 1 || c.HeightInBlocks % c.V == 0 ? c.V : c.HeightInBlocks % c.V;
            int firstBlockRow = _multipleScans ? iMcuRow * c.V : 0;
            int slotStart = iMcuRow % 3 * c.RowsPerIMcuRow;
            for (int blockRow = 0; blockRow < blockRows; blockRow++)
            {
                Span<byte> samples = c.Samples.AsSpan((slotStart + blockRow * c.ScaledSize) * c.SampleStride);
                if (_smoothing)
                {
                    SmoothAndTransformBlockRow(c, iMcuRow, blockRow, blockRows, samples);
                    continue;
                }
                ReadOnlySpan<short> coefficients = c.Coefficients.AsSpan((firstBlockRow + blockRow) * c.BlocksPerRow * 64);
                for (int column = 0; column < c.WidthInBlocks; column++)
                    InverseDct(c, coefficients.Slice(column * 64, 64), samples[(column * c.ScaledSize)..]);
            }
        }
    }

    /// <summary>One block of <paramref name="c"/> into its samples, at full or reduced size.</summary>
    private void InverseDct(JpegComponent c, ReadOnlySpan<short> block, Span<byte> samples)
    {
        if (_progressive)
        {
            // Progressive scans keep coefficients in zigzag order (their loops walk it); put them back.
            Span<short> natural = stackalloc short[64];
            JpegTables.ZigzagToNatural(block, natural);
            TransformNatural(c, natural, samples);
            return;
        }
        TransformNatural(c, block, samples);
    }

    /// <summary>
    /// A block already in natural order into its samples. A component no scan has named has no
    /// latched quantization table; libjpeg's multipliers stay zero then, so it decodes as flat grey.
    /// </summary>
    private void TransformNatural(JpegComponent c, ReadOnlySpan<short> block, Span<byte> samples)
    {
        ReadOnlySpan<short> quantization = c.Quantization ?? NoQuantization;
        if (c.ScaledSize == 8) _kernels.InverseDct(block, quantization, samples, c.SampleStride);
        else JpegReducedIdct.Transform(block, quantization, c.ScaledSize, samples, c.SampleStride);
    }

    private static readonly short[] NoQuantization = new short[64];

    /// <summary>Upsamples and colour-converts the output rows of iMCU row <paramref name="iMcuRow"/>.</summary>
    private void EmitRows(int iMcuRow, byte[][] upsampled, IRgbRowSink sink)
    {
        int first = iMcuRow * _maxV * _scaledSize;
        int end = Math.Min(_outputHeight, first + _maxV * _scaledSize);
        for (int y = first; y < end; y++)
        {
            Span<byte> rgb = sink.RowBuffer(y);
            switch (_components.Length)
            {
                case 1:
                    JpegColorConversion.GreyToRgb(UpsampledRow(0, y, upsampled), rgb);
                    break;
                case 3:
                    if (_colorSpace == JpegColorSpace.YCbCr)
                        _kernels.YCbCrToRgb(UpsampledRow(0, y, upsampled), UpsampledRow(1, y, upsampled), UpsampledRow(2, y, upsampled), rgb);
                    else
                        JpegColorConversion.Interleave(UpsampledRow(0, y, upsampled), UpsampledRow(1, y, upsampled), UpsampledRow(2, y, upsampled), rgb);
                    break;
                default:
                    JpegColorConversion.FourComponentToRgb(_colorSpace, UpsampledRow(0, y, upsampled), UpsampledRow(1, y, upsampled),
                        UpsampledRow(2, y, upsampled), UpsampledRow(3, y, upsampled), rgb);
                    break;
            }
            sink.RowDone(y);
        }
    }

    /// <summary>Component <paramref name="index"/>'s samples for output row <paramref name="y"/>, at full resolution (at least the image width).</summary>
    private ReadOnlySpan<byte> UpsampledRow(int index, int y, byte[][] upsampled)
    {
        JpegComponent c = _components[index];
        Span<byte> output = upsampled[index];
        switch (c.Upsampling)
        {
            case JpegUpsamplingKind.FullSize:
                return c.SampleRow(y);
            case JpegUpsamplingKind.FancyH2V1:
                _kernels.FancyH2V1(c.SampleRow(y), c.DownsampledWidth, output);
                return output;
            case JpegUpsamplingKind.FancyH2V2:
            {
                int row = y >> 1;
                bool lower = (y & 1) != 0;
                _kernels.FancyH2V2(c.SampleRow(row), c.SampleRow(NeighbourRow(c, row, lower)), c.DownsampledWidth, output);
                return output;
            }
            case JpegUpsamplingKind.FancyH1V2:
            {
                int row = y >> 1;
                bool lower = (y & 1) != 0;
                JpegUpsampling.FancyH1V2(c.SampleRow(row), c.SampleRow(NeighbourRow(c, row, lower)), c.DownsampledWidth, lower, output);
                return output;
            }
            default:
                JpegUpsampling.Replicate(c.SampleRow(y / c.VerticalExpansion), c.HorizontalExpansion, output[.._outputWidth]);
                return output;
        }
    }

    /// <summary>The row above or below <paramref name="row"/>, repeating the first and last rows at the image edges (libjpeg's context rows).</summary>
    private static int NeighbourRow(JpegComponent c, int row, bool below) =>
        below ? Math.Min(row + 1, c.DownsampledHeight - 1) : Math.Max(row - 1, 0);
}
