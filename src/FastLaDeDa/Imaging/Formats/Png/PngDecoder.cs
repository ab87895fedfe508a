using System.Buffers;
using System.IO.Compression;
using FastLaDeDa.Errors;

namespace FastLaDeDa.Imaging.Formats.Png;

/// <summary>
/// Decodes a PNG to the RGB bytes Pillow 9.4's <c>Image.open(f).convert("RGB")</c> gives:
/// the image data inflated by the runtime's zlib (<see cref="ZLibStream"/>) straight from the
/// IDAT chunks, unfiltered row by row (<see cref="PngUnfilter"/>), de-interlaced and converted
/// (<see cref="PngRowExpander"/>).
/// </summary>
/// <remarks>
/// <para>The image data is inflated a block of rows at a time into a pooled buffer and exactly
/// as many bytes are asked for as the header's dimensions need, so a small file that inflates to
/// gigabytes (a zlib bomb) costs no more than a valid image of its size.</para>
/// <para>Data that is corrupt, or ends before the last row, is an <see cref="ImageDecodeException"/>.
/// After the last row one more byte is asked for: where the stream ends there, its Adler-32 is
/// checked (a mismatch is an error, as it is for Pillow whenever the checksum arrives in the same
/// read as the last row); data after the image's bytes, or a stream cut inside its checksum, is
/// ignored, as Pillow ignores it. Pillow also accepts a stream that ends cleanly between two rows
/// and leaves the missing rows black; here that is an error (the file is damaged).</para>
/// </remarks>
internal static unsafe class PngDecoder
{
    /// <summary>Inflated bytes per block of rows: big enough for few calls into zlib, small enough for the cache.</summary>
    private const int BlockBytes = 128 * 1024;

    /// <summary>Decodes <paramref name="data"/>, whose structure <paramref name="header"/> comes from <see cref="PngStructure.Read"/>.</summary>
    public static Rgb24Image Decode(ReadOnlySpan<byte> data, PngStructure header, string? source)
    {
        var sink = new ImageRowSink();
        Decode(data, header, source, sink);
        return sink.Image;
    }

    /// <summary>
    /// Decodes <paramref name="data"/> into <paramref name="sink"/>, top row first. A sequential
    /// image whose frame covers the canvas (nearly every PNG) streams: each row goes to the sink as
    /// soon as it is unfiltered and no full-size buffer exists. An interlaced image, or an APNG
    /// default frame smaller than its canvas, is assembled in a pooled canvas first.
    /// </summary>
    public static void Decode(ReadOnlySpan<byte> data, PngStructure header, string? source, IRgbRowSink sink)
    {
        PngImageChunks chunks = PngImageChunks.Read(data, header, source);
        PngFrameRegion region = chunks.Region;
        // Pillow's interlaced path writes a frame at the canvas origin whatever its offset.
        if (header.Interlaced) region = region with { X = 0, Y = 0 };
        using var expander = new PngRowExpander(header, chunks.Palette, region.Width);
        bool streams = !header.Interlaced && region.Covers(header.Width, header.Height);
        int canvasBytes = header.Width * header.Height * 3;
        // Pooled, so stale: every byte is written before it is read, by the rows (Adam7's passes
        // cover each pixel once) or, around a smaller frame, by the fill; a failed decode throws.
        byte[]? canvas = streams ? null : ArrayPool<byte>.Shared.Rent(canvasBytes);
        try
        {
            sink.Start(header.Width, header.Height);
            if (canvas is not null && !region.Covers(header.Width, header.Height)) FillWithZeroSample(canvas.AsSpan(0, canvasBytes), expander);
            var target = new PngRowTarget(canvas, sink, header.Width);
            fixed (byte* file = data)
            {
                using var imageData = new PngImageDataStream(file, data.Length, chunks.FirstImageDataOffset);
                using var zlib = new ZLibStream(imageData, CompressionMode.Decompress);
                try
                {
                    DecodeRows(zlib, header, region, expander, target, source);
                }
                catch (Exception e) when (e is InvalidDataException or IOException)
                {
                    // .NET's messages for zlib failures name zip archives; say what is wrong in PNG terms.
                    throw new ImageDecodeException(source, "corrupt PNG: invalid zlib data in the IDAT chunks", e);
                }
                try
                {
                    // One byte more: lets zlib reach the end of the stream and check the Adler-32.
                    Span<byte> probe = stackalloc byte[1];
                    _ = zlib.Read(probe);
                }
                catch (Exception e) when (e is InvalidDataException or IOException)
                {
                    throw new ImageDecodeException(source, "corrupt PNG: invalid zlib data after the last row (wrong Adler-32 checksum or a damaged end of stream)", e);
                }
            }
            if (canvas is not null) RgbRows.Replay(canvas, header.Width, header.Height, sink);
        }
        finally
        {
            if (canvas is not null) ArrayPool<byte>.Shared.Return(canvas);
        }
    }

    /// <summary>Where converted rows go: straight to the sink (streaming), or onto the canvas.</summary>
    private readonly record struct PngRowTarget(byte[]? Canvas, IRgbRowSink Sink, int Width);

    /// <summary>
    /// Inflates, unfilters and stores every row of every pass; throws where the stream ends early
    /// or a row has an unknown filter type.
    /// </summary>
    private static void DecodeRows(ZLibStream zlib, PngStructure header, PngFrameRegion region, PngRowExpander expander, PngRowTarget target, string? source)
    {
        PngUnfilter unfilter = PngUnfilter.Best;
        int bytesPerPixel = expander.BytesPerPixel;
        int maxRowBytes = PngRowExpander.RowBytes(header, region.Width);
        int paddedRow = PngRowLayout.PaddedLength(maxRowBytes);
        long imageBytes = 0;
        foreach (PngAdam7.Pass pass in PngAdam7.Passes(header.Interlaced))
        {
            int columns = pass.Columns(region.Width);
            if (columns > 0) imageBytes += (long)pass.Rows(region.Height) * (1 + PngRowExpander.RowBytes(header, columns));
        }
        int blockLength = (int)Math.Min(imageBytes, Math.Max(BlockBytes, 1 + maxRowBytes));

        // Three padded rows: the one above and the one or two being unfiltered.
        byte[] rows = ArrayPool<byte>.Shared.Rent(3 * paddedRow);
        byte[] block = ArrayPool<byte>.Shared.Rent(blockLength + PngRowLayout.Slack);
        // Adam7 rows with gaps between their pixels are converted here, then spread out.
        byte[]? scattered = header.Interlaced ? ArrayPool<byte>.Shared.Rent(region.Width * 3) : null;
        try
        {
            // Pooled memory is stale: clear what the kernels may read before it is written
            // (the pads, the slack); every byte that reaches the image is written first.
            Array.Clear(rows, 0, 3 * paddedRow);
            Array.Clear(block, blockLength, PngRowLayout.Slack);
            int prior = 0, current = paddedRow, next = 2 * paddedRow; // offsets of the rows in `rows`
            long inflated = 0;
            foreach (PngAdam7.Pass pass in PngAdam7.Passes(header.Interlaced))
            {
                int columns = pass.Columns(region.Width), passRows = pass.Rows(region.Height);
                if (columns == 0 || passRows == 0) continue; // absent from the data
                int rowBytes = PngRowExpander.RowBytes(header, columns), stride = 1 + rowBytes;
                // The first row of each pass is filtered against zeros.
                rows.AsSpan(prior + PngRowLayout.Pad, rowBytes).Clear();
                int rowsPerBlock = blockLength / stride;
                for (int y = 0; y < passRows;)
                {
                    int count = Math.Min(rowsPerBlock, passRows - y);
                    Span<byte> filtered = block.AsSpan(0, count * stride);
                    int read = zlib.ReadAtLeast(filtered, filtered.Length, throwOnEndOfStream: false);
                    if (read < filtered.Length)
                        throw new ImageDecodeException(source, $"truncated PNG image data: the zlib stream ends after {inflated + read} of {imageBytes} bytes");
                    inflated += read;
                    for (int i = 0; i < count;)
                    {
                        byte filter = filtered[i * stride];
                        if (filter > (byte)PngFilterType.Paeth)
                            throw new ImageDecodeException(source, $"corrupt PNG: unknown filter type {filter}");
                        if (filter == (byte)PngFilterType.Paeth && i + 1 < count && filtered[(i + 1) * stride] == filter)
                        {
                            unfilter.UnfilterPaethPair(block.AsSpan(i * stride + 1), block.AsSpan((i + 1) * stride + 1),
                                rows.AsSpan(prior, paddedRow), rows.AsSpan(current, paddedRow), rows.AsSpan(next, paddedRow), rowBytes, bytesPerPixel);
                            Store(rows.AsSpan(current + PngRowLayout.Pad, rowBytes), columns, pass, y, region, expander, target, scattered);
                            Store(rows.AsSpan(next + PngRowLayout.Pad, rowBytes), columns, pass, y + 1, region, expander, target, scattered);
                            (prior, current, next) = (next, prior, current);
                            i += 2;
                            y += 2;
                        }
                        else
                        {
                            unfilter.Unfilter((PngFilterType)filter, block.AsSpan(i * stride + 1), rows.AsSpan(prior, paddedRow), rows.AsSpan(current, paddedRow), rowBytes, bytesPerPixel);
                            Store(rows.AsSpan(current + PngRowLayout.Pad, rowBytes), columns, pass, y, region, expander, target, scattered);
                            (prior, current) = (current, prior);
                            i++;
                            y++;
                        }
                    }
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rows);
            ArrayPool<byte>.Shared.Return(block);
            if (scattered is not null) ArrayPool<byte>.Shared.Return(scattered);
        }
    }

    /// <summary>Converts row <paramref name="y"/> of <paramref name="pass"/> and puts its pixels on the canvas, or hands the row to the sink when streaming.</summary>
    private static void Store(ReadOnlySpan<byte> row, int columns, PngAdam7.Pass pass, int y, PngFrameRegion region, PngRowExpander expander, PngRowTarget target, Span<byte> scattered)
    {
        if (target.Canvas is not { } rgb)
        {
            // Streaming: a sequential image covering the canvas, so this is canvas row y.
            expander.Expand(row, columns, target.Sink.RowBuffer(y));
            target.Sink.RowDone(y);
            return;
        }
        long rowStart = ((long)(region.Y + pass.Y + y * pass.DY) * target.Width + region.X + pass.X) * 3;
        if (pass.DX == 1)
        {
            // Contiguous pixels (the rows of a smaller frame, Adam7's last pass): straight in.
            expander.Expand(row, columns, rgb.AsSpan((int)rowStart, columns * 3));
            return;
        }
        expander.Expand(row, columns, scattered);
        int step = pass.DX * 3;
        for (int i = 0, o = (int)rowStart; i < columns * 3; i += 3, o += step)
        {
            rgb[o] = scattered[i];
            rgb[o + 1] = scattered[i + 1];
            rgb[o + 2] = scattered[i + 2];
        }
    }

    /// <summary>Fills the canvas with the colour of an all-zero pixel (black, or palette entry 0), where a smaller frame leaves it.</summary>
    private static void FillWithZeroSample(Span<byte> rgb, PngRowExpander expander)
    {
        Span<byte> zero = stackalloc byte[8];
        zero.Clear();
        Span<byte> colour = stackalloc byte[3];
        expander.Expand(zero, 1, colour);
        for (int o = 0; o < rgb.Length; o += 3) colour.CopyTo(rgb.Slice(o, 3));
    }
}
