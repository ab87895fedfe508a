using System.Buffers.Binary;

namespace FastLaDeDa.Imaging;

/// <summary>
/// A walk over a JPEG's markers, done before the pixels are decoded. StbImageSharp decodes
/// whatever it is given and fills a truncated file with grey, where Pillow (libjpeg with
/// <c>LOAD_TRUNCATED_IMAGES = False</c>) raises; so the walk insists on a complete stream: SOI
/// first, every segment length inside the file, the entropy-coded data of every scan skipped
/// correctly (0xFF00 byte stuffing, RSTn markers) and an EOI at the end. It also reads the frame
/// header, refusing what stb cannot decode like libjpeg would (CMYK/YCCK, 12-bit samples,
/// lossless, hierarchical and arithmetic-coded frames), and checks the declared size against
/// <see cref="ImageLimits"/> before anything is allocated.
/// </summary>
/// <param name="Width">Width from the frame header.</param>
/// <param name="Height">Height from the frame header.</param>
/// <param name="ComponentCount">1 (grey) or 3 (YCbCr or RGB).</param>
/// <param name="Progressive">Whether the frame is progressive (SOF2).</param>
internal readonly record struct JpegStructure(int Width, int Height, int ComponentCount, bool Progressive)
{
    private const byte Sof2Progressive = 0xC2;
    private const byte Dht = 0xC4, Jpg = 0xC8, Dac = 0xCC;
    private const byte Rst0 = 0xD0, Rst7 = 0xD7, Soi = 0xD8, Eoi = 0xD9, Sos = 0xDA;
    private const byte Tem = 0x01;

    /// <summary>Walks <paramref name="data"/>; throws <see cref="ImageDecodeException"/> (or a subclass) when it is not a complete, supported JPEG.</summary>
    public static JpegStructure Read(ReadOnlySpan<byte> data, ImageLimits limits, string? source)
    {
        if (data.Length < 2 || data[0] != 0xFF || data[1] != Soi)
            throw Corrupt(source, "missing start-of-image marker");

        JpegStructure? frame = null;
        bool sawScan = false;
        int pos = 2;
        while (true)
        {
            // libjpeg skips (with a warning) stray bytes before a marker, and so do we.
            int next = data[pos..].IndexOf((byte)0xFF);
            if (next < 0) throw Truncated(source);
            pos += next;
            while (pos < data.Length && data[pos] == 0xFF) pos++; // fill bytes
            if (pos >= data.Length) throw Truncated(source);
            byte marker = data[pos++];

            if (marker == Eoi)
            {
                if (frame is null) throw Corrupt(source, "no frame header before the end-of-image marker");
                if (!sawScan) throw Corrupt(source, "no image data (no scan) before the end-of-image marker");
                return frame.Value;
            }
            if (marker == 0x00 || marker == Tem || marker is >= Rst0 and <= Rst7)
                continue; // stuffed zero or standalone marker outside a scan: nothing to skip
            if (marker == Soi)
                throw Corrupt(source, "unexpected second start-of-image marker");

            if (pos + 2 > data.Length) throw Truncated(source);
            int length = BinaryPrimitives.ReadUInt16BigEndian(data[pos..]);
            if (length < 2) throw Corrupt(source, $"invalid length {length} of marker 0x{marker:X2} segment");
            if (pos + length > data.Length) throw Truncated(source);
            ReadOnlySpan<byte> segment = data.Slice(pos + 2, length - 2);
            pos += length;

            if (IsStartOfFrame(marker))
            {
                if (frame is not null) throw Corrupt(source, "more than one frame header");
                frame = ReadFrameHeader(marker, segment, limits, source);
            }
            else if (marker == Sos)
            {
                if (frame is null) throw Corrupt(source, "scan before the frame header");
                CheckScanHeader(segment, source);
                sawScan = true;
                pos = SkipEntropyCodedData(data, pos, source);
            }
        }
    }

    private static bool IsStartOfFrame(byte marker) =>
        marker is >= 0xC0 and <= 0xCF && marker != Dht && marker != Jpg && marker != Dac;

    private static JpegStructure ReadFrameHeader(byte marker, ReadOnlySpan<byte> segment, ImageLimits limits, string? source)
    {
        switch (marker)
        {
            case 0xC3: throw new UnsupportedImageFormatException(source, "lossless JPEG (SOF3) is not supported");
            case 0xC5 or 0xC6 or 0xC7: throw new UnsupportedImageFormatException(source, "hierarchical JPEG is not supported");
            case >= 0xC9: throw new UnsupportedImageFormatException(source, "arithmetic-coded JPEG is not supported");
        }
        if (segment.Length < 6) throw Corrupt(source, "frame header too short");
        int precision = segment[0];
        int height = BinaryPrimitives.ReadUInt16BigEndian(segment[1..]);
        int width = BinaryPrimitives.ReadUInt16BigEndian(segment[3..]);
        int components = segment[5];
        if (segment.Length != 6 + 3 * components) throw Corrupt(source, "frame header length does not match its component count");
        if (precision != 8)
            throw new UnsupportedImageFormatException(source, $"{precision}-bit JPEG is not supported (only 8-bit samples)");
        if (components == 4)
            throw new UnsupportedImageFormatException(source, "CMYK JPEG is not supported");
        if (components != 1 && components != 3)
            throw new UnsupportedImageFormatException(source, $"JPEG with {components} colour components is not supported");
        for (int c = 0; c < components; c++)
        {
            int sampling = segment[6 + 3 * c + 1];
            if (sampling >> 4 is < 1 or > 4 || (sampling & 15) is < 1 or > 4)
                throw Corrupt(source, $"invalid sampling factors 0x{sampling:X2} in the frame header");
        }
        ImageLimitGuard.CheckDimensions(width, height, limits, source, "JPEG");
        return new JpegStructure(width, height, components, marker == Sof2Progressive);
    }

    private static void CheckScanHeader(ReadOnlySpan<byte> segment, string? source)
    {
        if (segment.Length < 1) throw Corrupt(source, "scan header too short");
        int components = segment[0];
        if (components is < 1 or > 4 || segment.Length != 1 + 2 * components + 3)
            throw Corrupt(source, "invalid scan header");
    }

    /// <summary>Returns the offset of the marker that ends the entropy-coded data starting at <paramref name="pos"/>.</summary>
    private static int SkipEntropyCodedData(ReadOnlySpan<byte> data, int pos, string? source)
    {
        while (true)
        {
            int next = data[pos..].IndexOf((byte)0xFF);
            if (next < 0 || pos + next + 1 >= data.Length) throw Truncated(source);
            pos += next;
            byte following = data[pos + 1];
            if (following == 0x00 || following is >= Rst0 and <= Rst7)
                pos += 2; // stuffed 0xFF data byte, or a restart marker inside the scan
            else if (following == 0xFF)
                pos += 1; // fill byte before a marker
            else
                return pos;
        }
    }

    private static ImageDecodeException Truncated(string? source) =>
        new(source, "truncated JPEG (no end-of-image marker)");

    private static ImageDecodeException Corrupt(string? source, string what) =>
        new(source, $"corrupt JPEG: {what}");
}
