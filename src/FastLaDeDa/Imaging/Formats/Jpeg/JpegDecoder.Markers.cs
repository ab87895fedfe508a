namespace FastLaDeDa.Imaging.Formats.Jpeg;

internal sealed partial class JpegDecoder
{
    private enum MarkerResult { StartOfScan, EndOfImage }

    private const int Sof0 = 0xC0, Sof1 = 0xC1, Sof2 = 0xC2, Sof9 = 0xC9, Sof10 = 0xCA;
    private const int Dht = 0xC4, Dac = 0xCC, Rst0 = 0xD0, Rst7 = 0xD7, Soi = 0xD8, Eoi = 0xD9, Sos = 0xDA;
    private const int Dqt = 0xDB, Dnl = 0xDC, Dri = 0xDD, App0 = 0xE0, App14 = 0xEE, App15 = 0xEF, Com = 0xFE, Tem = 0x01;

    // Input position and libjpeg's "unread marker" (0: none pending).
    private int _position;
    private int _unreadMarker;
    private bool _sawSoi, _sawSof;

    // Tables as defined so far (DQT/DHT may redefine them between scans).
    private readonly ushort[]?[] _quantizationTables = new ushort[]?[4];
    private readonly byte[]?[] _dcCounts = new byte[]?[4], _dcSymbols = new byte[]?[4];
    private readonly byte[]?[] _acCounts = new byte[]?[4], _acSymbols = new byte[]?[4];
    private readonly byte[] _arithmeticDcLower = new byte[16], _arithmeticDcUpper = new byte[16], _arithmeticAcK = new byte[16];
    private int _restartInterval;
    private bool _sawJfif, _sawAdobe;
    private int _adobeTransform;

    // Frame header.
    private int _width, _height, _precision;
    private bool _progressive, _arithmetic;
    private JpegComponent[] _components = [];

    // Scan header.
    private readonly JpegComponent[] _scanComponents = new JpegComponent[4];
    private int _componentsInScan, _spectralStart, _spectralEnd, _approximationHigh, _approximationLow;
    private int _nextRestartNumber;
    private int _inputScanNumber;

    /// <summary>What libjpeg's <c>get_soi</c> resets.</summary>
    private void ResetForImage()
    {
        _sawSoi = true;
        _arithmeticDcLower.AsSpan().Clear();
        _arithmeticDcUpper.AsSpan().Fill(1);
        _arithmeticAcK.AsSpan().Fill(5);
        _restartInterval = 0;
        _sawJfif = _sawAdobe = false;
        _adobeTransform = 0;
    }

    private int ReadByte(ReadOnlySpan<byte> data) =>
        _position < data.Length ? data[_position++] : throw Truncated();

    private int ReadUInt16(ReadOnlySpan<byte> data) => (ReadByte(data) << 8) | ReadByte(data);

    private void ReadFirstMarker(ReadOnlySpan<byte> data)
    {
        if (data.Length < 2 || data[0] != 0xFF || data[1] != Soi)
            throw Corrupt("not a JPEG file (no start-of-image marker)");
        _position = 2;
        _unreadMarker = Soi;
    }

    /// <summary>
    /// Finds the next marker like libjpeg's <c>next_marker</c>: skips any bytes that are not 0xFF
    /// (garbage, warned about and ignored), 0xFF fill bytes and stuffed 0xFF00 pairs.
    /// </summary>
    private int NextMarker(ReadOnlySpan<byte> data)
    {
        while (true)
        {
            int ff = data[_position..].IndexOf((byte)0xFF);
            if (ff < 0) throw Truncated();
            _position += ff + 1;
            int c;
            do c = ReadByte(data); while (c == 0xFF);
            if (c != 0) return c;
        }
    }

    /// <summary>libjpeg's <c>read_markers</c>: processes markers until a scan header or the end of the image.</summary>
    private MarkerResult ReadMarkers(ReadOnlySpan<byte> data)
    {
        while (true)
        {
            if (_unreadMarker == 0) _unreadMarker = NextMarker(data);
            switch (_unreadMarker)
            {
                case Soi:
                    if (_sawSoi) throw Corrupt("a second start-of-image marker");
                    ResetForImage();
                    break;
                case Sof0 or Sof1:
                    ReadFrameHeader(data, progressive: false, arithmetic: false);
                    break;
                case Sof2:
                    ReadFrameHeader(data, progressive: true, arithmetic: false);
                    break;
                case Sof9:
                    ReadFrameHeader(data, progressive: false, arithmetic: true);
                    break;
                case Sof10:
                    ReadFrameHeader(data, progressive: true, arithmetic: true);
                    break;
                case 0xC3 or 0xC7 or 0xCB or 0xCF:
                    throw Unsupported("lossless JPEG is not supported (neither Pillow's libjpeg nor FastLaDeDa decode it)");
                case 0xC5 or 0xC6 or 0xCD or 0xCE:
                    throw Unsupported("hierarchical JPEG is not supported (neither Pillow's libjpeg nor FastLaDeDa decode it)");
                case 0xC8:
                    throw Unsupported("a JPEG extension frame (JPG marker) is not supported");
                case Sos:
                    ReadScanHeader(data);
                    _unreadMarker = 0;
                    return MarkerResult.StartOfScan;
                case Eoi:
                    _unreadMarker = 0;
                    return MarkerResult.EndOfImage;
                case Dac:
                    ReadArithmeticConditioning(data);
                    break;
                case Dht:
                    ReadHuffmanTables(data);
                    break;
                case Dqt:
                    ReadQuantizationTables(data);
                    break;
                case Dri:
                    if (ReadUInt16(data) != 4) throw Corrupt("bad restart interval segment length");
                    _restartInterval = ReadUInt16(data);
                    break;
                case App0 or App14:
                    ReadInterestingAppSegment(data, _unreadMarker);
                    break;
                case >= App0 and <= App15 or Com or Dnl:
                    SkipSegment(data);
                    break;
                case Tem when _inputScanNumber == 0:
                    // libjpeg ignores it, but Pillow's own header walk knows no marker 0x01 and refuses the file.
                    throw Corrupt("unexpected marker 0x01 (TEM) in the headers");
                case >= Rst0 and <= Rst7 or Tem:
                    break; // parameterless markers outside a scan are ignored
                default:
                    throw Corrupt($"unknown marker 0x{_unreadMarker:X2}");
            }
            _unreadMarker = 0;
        }
    }

    private void SkipSegment(ReadOnlySpan<byte> data)
    {
        // libjpeg skips length − 2 bytes; a length below 2 skips nothing.
        int length = ReadUInt16(data) - 2;
        if (length > 0)
        {
            if (_position + length > data.Length) throw Truncated();
            _position += length;
        }
    }

    private void ReadInterestingAppSegment(ReadOnlySpan<byte> data, int marker)
    {
        int length = ReadUInt16(data) - 2;
        int toRead = Math.Clamp(length, 0, 14);
        Span<byte> head = stackalloc byte[14];
        for (int i = 0; i < toRead; i++) head[i] = (byte)ReadByte(data);
        head = head[..toRead];
        if (marker == App0 && toRead >= 14 && head.StartsWith("JFIF\0"u8))
            _sawJfif = true;
        else if (marker == App14 && toRead >= 12 && head.StartsWith("Adobe"u8))
        {
            _sawAdobe = true;
            _adobeTransform = head[11];
        }
        int rest = length - toRead;
        if (rest > 0)
        {
            if (_position + rest > data.Length) throw Truncated();
            _position += rest;
        }
    }

    private void ReadFrameHeader(ReadOnlySpan<byte> data, bool progressive, bool arithmetic)
    {
        _progressive = progressive;
        _arithmetic = arithmetic;
        int length = ReadUInt16(data) - 8;
        _precision = ReadByte(data);
        _height = ReadUInt16(data);
        _width = ReadUInt16(data);
        int count = ReadByte(data);
        if (_sawSof) throw Corrupt("more than one frame header");
        if (_height == 0 || _width == 0 || count == 0)
            throw Corrupt($"the frame header declares an empty image ({_width}x{_height}, {count} components)");
        if (length != count * 3) throw Corrupt("bad frame header length");
        // Pillow opens only 8-bit images of 1, 3 or 4 components; refuse the rest before allocating.
        if (_precision != 8)
            throw Unsupported($"{_precision}-bit JPEG is not supported (Pillow reads only 8-bit samples)");
        if (count is not (1 or 3 or 4))
            throw Unsupported($"a JPEG with {count} colour components is not supported (Pillow reads 1, 3 or 4)");
        ImageLimitGuard.CheckDimensions(_width, _height, _limits, _source, "JPEG");
        _components = new JpegComponent[count];
        for (int i = 0; i < count; i++)
        {
            int id = ReadByte(data);
            int sampling = ReadByte(data);
            int slot = ReadByte(data);
            _components[i] = new JpegComponent(i, id, sampling >> 4, sampling & 15, slot);
        }
        _sawSof = true;
    }

    private void ReadScanHeader(ReadOnlySpan<byte> data)
    {
        if (!_sawSof) throw Corrupt("a scan before the frame header");
        int length = ReadUInt16(data);
        int count = ReadByte(data);
        if (length != count * 2 + 6 || count < 1 || count > 4) throw Corrupt("bad scan header length");
        _componentsInScan = count;
        Array.Clear(_scanComponents);
        for (int i = 0; i < count; i++)
        {
            int id = ReadByte(data);
            int tables = ReadByte(data);
            // libjpeg-turbo 2.1 accepts component c only while scan slot c (sic: indexed by the
            // frame position) is still empty, so a scan listing components out of frame order is
            // refused, as Pillow refuses it; and it looks only at the first four components.
            JpegComponent? found = null;
            for (int c = 0; c < _components.Length && c < 4; c++)
            {
                if (_components[c].Id == id && _scanComponents[c] is null)
                {
                    found = _components[c];
                    break;
                }
            }
            if (found is null || Array.IndexOf(_scanComponents, found, 0, i) >= 0)
                throw Corrupt($"the scan names component {id}, which the frame does not have or the scan repeats");
            found.DcTable = tables >> 4;
            found.AcTable = tables & 15;
            _scanComponents[i] = found;
        }
        _spectralStart = ReadByte(data);
        _spectralEnd = ReadByte(data);
        int approximation = ReadByte(data);
        _approximationHigh = approximation >> 4;
        _approximationLow = approximation & 15;
        _nextRestartNumber = 0;
        _inputScanNumber++;
    }

    private void ReadHuffmanTables(ReadOnlySpan<byte> data)
    {
        int length = ReadUInt16(data) - 2;
        Span<byte> counts = stackalloc byte[17];
        while (length > 16)
        {
            int index = ReadByte(data);
            counts[0] = 0;
            int total = 0;
            for (int i = 1; i <= 16; i++)
            {
                counts[i] = (byte)ReadByte(data);
                total += counts[i];
            }
            length -= 17;
            if (total > 256 || total > length) throw Corrupt("bogus Huffman table definition");
            var symbols = new byte[256];
            for (int i = 0; i < total; i++) symbols[i] = (byte)ReadByte(data);
            length -= total;
            bool isAc = (index & 0x10) != 0;
            int slot = isAc ? index - 0x10 : index;
            if (slot is < 0 or >= 4) throw Corrupt($"bogus Huffman table index {slot}");
            (isAc ? _acCounts : _dcCounts)[slot] = counts.ToArray();
            (isAc ? _acSymbols : _dcSymbols)[slot] = symbols;
        }
        if (length != 0) throw Corrupt("bad Huffman table segment length");
    }

    private void ReadQuantizationTables(ReadOnlySpan<byte> data)
    {
        int length = ReadUInt16(data) - 2;
        ReadOnlySpan<byte> natural = JpegTables.NaturalOrder;
        while (length > 0)
        {
            int n = ReadByte(data);
            bool sixteenBit = n >> 4 != 0;
            n &= 15;
            if (n >= 4) throw Corrupt($"bogus quantization table index {n}");
            var table = _quantizationTables[n] ??= new ushort[64];
            for (int i = 0; i < 64; i++)
                table[natural[i]] = (ushort)(sixteenBit ? ReadUInt16(data) : ReadByte(data));
            length -= 65 + (sixteenBit ? 64 : 0);
        }
        if (length != 0) throw Corrupt("bad quantization table segment length");
    }

    private void ReadArithmeticConditioning(ReadOnlySpan<byte> data)
    {
        int length = ReadUInt16(data) - 2;
        while (length > 0)
        {
            int index = ReadByte(data);
            int value = ReadByte(data);
            length -= 2;
            if (index >= 32) throw Corrupt($"bogus arithmetic conditioning table index {index}");
            if (index >= 16)
            {
                _arithmeticAcK[index - 16] = (byte)value;
            }
            else
            {
                _arithmeticDcLower[index] = (byte)(value & 15);
                _arithmeticDcUpper[index] = (byte)(value >> 4);
                if (_arithmeticDcLower[index] > _arithmeticDcUpper[index])
                    throw Corrupt($"bogus arithmetic conditioning value 0x{value:X2}");
            }
        }
        if (length != 0) throw Corrupt("bad arithmetic conditioning segment length");
    }
}
