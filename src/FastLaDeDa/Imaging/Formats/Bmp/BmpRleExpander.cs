using FastLaDeDa.Errors;

namespace FastLaDeDa.Imaging.Formats.Bmp;

/// <summary>
/// Expands RLE8/RLE4 bitmap data into one index (or grey level) per pixel exactly as Pillow
/// 9.4's pure-Python <c>BmpRleDecoder</c> does, quirks included, so that every file gives
/// Pillow's pixels.
/// </summary>
/// <remarks>
/// <para>The output is a flat run of pixels in stored row order; what Pillow does differently
/// from the Windows documentation is kept on purpose:</para>
/// <list type="bullet">
/// <item>an encoded run is clipped at the end of its row, but an absolute run is not: it flows
/// into the next row (and a later encoded run on that row is then clipped to nothing, since the
/// column counter keeps counting);</item>
/// <item>a delta escape skips the two bytes after it and takes the next two as (right, up);</item>
/// <item>an RLE4 absolute run of n pixels reads n / 2 bytes (rounded down), then skips a byte
/// when the <em>file</em> position is odd;</item>
/// <item>end-of-line pads the row with index 0; end-of-bitmap, or the end of the file, stops
/// decoding, and the bitmap must then already be complete.</item>
/// </list>
/// <para>Each command consumes at least two bytes, so the work is bounded by the file size plus
/// the pixel count.</para>
/// </remarks>
internal static class BmpRleExpander
{
    /// <summary>
    /// Fills <paramref name="pixels"/> (width × height, stored row order) from the RLE data at
    /// <paramref name="start"/> in <paramref name="file"/>; throws <see cref="ImageDecodeException"/>
    /// where Pillow fails.
    /// </summary>
    /// <param name="file">The whole file: alignment is to even file offsets.</param>
    /// <param name="start">Offset of the RLE data.</param>
    /// <param name="rle4">RLE4 (two 4-bit pixels per byte) rather than RLE8.</param>
    /// <param name="width">Pixels per row.</param>
    /// <param name="pixels">The output; every byte is written.</param>
    /// <param name="format">"BMP" or "DIB", for messages.</param>
    /// <param name="source">The file name for messages.</param>
    public static void Expand(ReadOnlySpan<byte> file, long start, bool rle4, int width, Span<byte> pixels, string format, string? source)
    {
        var output = new RunWriter(pixels);
        long column = 0;
        long at = start;
        while (!output.IsFull)
        {
            if (at + 2 > file.Length) break;
            int count = file[(int)at], value = file[(int)at + 1];
            at += 2;

            if (count != 0)
            {
                // Encoded run, clipped at the end of the row.
                if (column + count > width) count = (int)Math.Max(0, width - column);
                if (rle4) output.Alternate((byte)(value >> 4), (byte)(value & 0x0F), count);
                else output.Repeat((byte)value, count);
                column += count;
            }
            else if (value == 0)
            {
                // End of line: pad the row with zeros.
                long remainder = output.Position % width;
                if (remainder != 0) output.Repeat(0, width - remainder);
                column = 0;
            }
            else if (value == 1)
            {
                break; // end of bitmap
            }
            else if (value == 2)
            {
                // Delta. Pillow 9.4 reads two bytes, ignores them and takes (right, up) from the next two.
                if (at + 2 > file.Length) break;
                at += 2;
                if (at + 2 > file.Length)
                    throw new ImageDecodeException(source, $"corrupt {format}: RLE delta escape cut off at the end of the file");
                int right = file[(int)at], up = file[(int)at + 1];
                at += 2;
                output.Repeat(0, right + (long)up * width);
                column = output.Position % width;
            }
            else
            {
                // Absolute run of `value` pixels.
                int wanted = rle4 ? value / 2 : value;
                int available = (int)Math.Clamp(file.Length - at, 0, wanted);
                ReadOnlySpan<byte> literal = file.Slice((int)Math.Min(at, file.Length), available);
                if (rle4)
                {
                    foreach (byte b in literal) output.Alternate((byte)(b >> 4), (byte)(b & 0x0F), 2);
                }
                else
                {
                    output.Copy(literal);
                }
                at += available;
                if (available < wanted) break;
                column += value;
                if (at % 2 != 0) at++; // word alignment, counted from the start of the file
            }
        }

        if (!output.IsFull)
            throw new ImageDecodeException(source, $"corrupt {format}: RLE data ends after {output.Position} of {pixels.Length} pixels");
    }

    /// <summary>Appends to the output, keeping count past its end (Pillow's data may grow longer than the image; the excess is dropped).</summary>
    private ref struct RunWriter(Span<byte> pixels)
    {
        private readonly Span<byte> _pixels = pixels;

        /// <summary>Pixels appended so far (may exceed the output's length).</summary>
        public long Position { get; private set; }

        public readonly bool IsFull => Position >= _pixels.Length;

        public void Repeat(byte value, long count)
        {
            Room(count).Fill(value);
            Position += count;
        }

        public void Alternate(byte first, byte second, int count)
        {
            Span<byte> room = Room(count);
            for (int i = 0; i < room.Length; i++) room[i] = (i & 1) == 0 ? first : second;
            Position += count;
        }

        public void Copy(ReadOnlySpan<byte> values)
        {
            Span<byte> room = Room(values.Length);
            values[..room.Length].CopyTo(room);
            Position += values.Length;
        }

        // The part of the next `count` pixels that lies inside the output.
        private readonly Span<byte> Room(long count)
        {
            if (Position >= _pixels.Length) return [];
            return _pixels.Slice((int)Position, (int)Math.Min(count, _pixels.Length - Position));
        }
    }
}
