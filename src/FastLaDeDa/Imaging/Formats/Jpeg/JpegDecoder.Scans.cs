using System.Buffers;
using FastLaDeDa.Errors;

namespace FastLaDeDa.Imaging.Formats.Jpeg;

internal sealed partial class JpegDecoder
{
    private const int MaxBlocksInMcu = 10;

    // Frame geometry.
    private int _maxH, _maxV, _totalIMcuRows;

    // Reduced decoding: samples per block side of the most finely sampled components (8 = full
    // size), and the output size it gives (libjpeg's min_DCT_scaled_size, output_width/height).
    private int _scaledSize = 8, _outputWidth, _outputHeight;
    private bool _multipleScans;
    private JpegColorSpace _colorSpace;

    // Scan geometry and entropy state.
    private int _mcusPerRow, _blocksInMcu;
    private readonly int[] _mcuComponent = new int[MaxBlocksInMcu];   // scan position of each block of an MCU
    private readonly int[] _mcuBlockRow = new int[MaxBlocksInMcu];    // block offsets inside the MCU
    private readonly int[] _mcuBlockColumn = new int[MaxBlocksInMcu];
    private readonly int[] _mcuBlockOffset = new int[MaxBlocksInMcu]; // per MCU: where each block's 64 coefficients start
    private readonly JpegHuffmanTable?[] _dcTables = new JpegHuffmanTable?[4], _acTables = new JpegHuffmanTable?[4];
    private readonly int[] _lastDc = new int[4];
    private JpegBitReader _reader;
    private bool _insufficientData;
    private int _restartsToGo;
    private int _endOfBandRun;
    private bool _coefficientsRented;

    /// <summary>libjpeg's <c>initial_setup</c> and the checks of <c>master_selection</c>: geometry, colour space, upsamplers, buffers.</summary>
    private void SetUpFrame()
    {
        if (_width > 65500 || _height > 65500) throw Corrupt($"{_width}x{_height} exceeds libjpeg's limit of 65500 pixels per side");
        _maxH = _maxV = 1;
        foreach (JpegComponent c in _components)
        {
            if (c.H is < 1 or > 4 || c.V is < 1 or > 4) throw Corrupt("bogus sampling factors");
            _maxH = Math.Max(_maxH, c.H);
            _maxV = Math.Max(_maxV, c.V);
        }
        ChooseScale();
        foreach (JpegComponent c in _components)
        {
            c.WidthInBlocks = DivideRoundingUp(_width * c.H, _maxH * 8);
            c.HeightInBlocks = DivideRoundingUp(_height * c.V, _maxV * 8);
            // libjpeg gives a subsampled component a larger block size when the scale allows,
            // so 4:2:0 chroma at 1/2 scale is decoded at 8×8 and needs no upsampling.
            int size = _scaledSize;
            while (size < 8 && _maxH * _scaledSize % (c.H * size * 2) == 0 && _maxV * _scaledSize % (c.V * size * 2) == 0)
                size *= 2;
            c.ScaledSize = size;
            c.DownsampledWidth = DivideRoundingUp((long)_width * c.H * size, _maxH * 8);
            c.DownsampledHeight = DivideRoundingUp((long)_height * c.V * size, _maxV * 8);
        }
        _totalIMcuRows = DivideRoundingUp(_height, _maxV * 8);
        _multipleScans = _componentsInScan < _components.Length || _progressive;
        _colorSpace = GuessColorSpace();

        foreach (JpegComponent c in _components)
        {
            // Sample groups: this many component samples become max H × max V output pixels.
            int h = c.H * c.ScaledSize / _scaledSize, v = c.V * c.ScaledSize / _scaledSize;
            c.Upsampling = JpegUpsampling.Choose(h, v, _maxH, _maxV, c.DownsampledWidth, fancy: _scaledSize > 1)
                ?? throw Unsupported($"sampling factors {c.H}x{c.V} against {_maxH}x{_maxV} are not an integral ratio (libjpeg refuses them)");
            c.HorizontalExpansion = _maxH / h;
            c.VerticalExpansion = _maxV / v;
        }

        if (!_progressive && !_arithmetic)
        {
            // Motion-JPEG frames omit the standard tables; libjpeg installs them into empty slots 0 and 1.
            for (int slot = 0; slot < 2; slot++)
            {
                if (_dcCounts[slot] is null) (_dcCounts[slot], _dcSymbols[slot]) = PaddedStandardTable(isDc: true, slot);
                if (_acCounts[slot] is null) (_acCounts[slot], _acSymbols[slot]) = PaddedStandardTable(isDc: false, slot);
            }
        }
        AllocateBuffers();
    }

    private static (byte[], byte[]) PaddedStandardTable(bool isDc, int slot)
    {
        var (counts, symbols) = JpegTables.StandardTable(isDc, slot);
        var padded = new byte[256];
        symbols.CopyTo(padded, 0);
        return (counts, padded);
    }

    private static int DivideRoundingUp(long value, long divisor) => (int)((value + divisor - 1) / divisor);

    /// <summary>
    /// The block size for reduced decoding: the smallest of 1, 2, 4 (1/8, 1/4, 1/2 scale) whose
    /// output still covers the requested minimum on both sides; 8 (full size) when none is requested.
    /// </summary>
    private void ChooseScale()
    {
        _scaledSize = 8;
        if (_minimumOutputWidth > 0)
        {
            foreach (int size in (ReadOnlySpan<int>)[1, 2, 4])
            {
                if (DivideRoundingUp((long)_width * size, 8) >= _minimumOutputWidth && DivideRoundingUp((long)_height * size, 8) >= _minimumOutputHeight)
                {
                    _scaledSize = size;
                    break;
                }
            }
        }
        _outputWidth = DivideRoundingUp((long)_width * _scaledSize, 8);
        _outputHeight = DivideRoundingUp((long)_height * _scaledSize, 8);
    }

    /// <summary>libjpeg's <c>default_decompress_parms</c> guess of the colour space.</summary>
    private JpegColorSpace GuessColorSpace()
    {
        switch (_components.Length)
        {
            case 1:
                return JpegColorSpace.Grayscale;
            case 3:
                if (_sawJfif) return JpegColorSpace.YCbCr;
                if (_sawAdobe) return _adobeTransform == 0 ? JpegColorSpace.Rgb : JpegColorSpace.YCbCr;
                return (_components[0].Id, _components[1].Id, _components[2].Id) == ('R', 'G', 'B')
                    ? JpegColorSpace.Rgb
                    : JpegColorSpace.YCbCr;
            default:
                return _sawAdobe && _adobeTransform != 0 ? JpegColorSpace.Ycck : JpegColorSpace.Cmyk;
        }
    }

    private void AllocateBuffers()
    {
        foreach (JpegComponent c in _components)
        {
            int blocksPerRow = RoundUp(c.WidthInBlocks, c.H);
            c.BlocksPerRow = blocksPerRow;
            long blocks = (long)blocksPerRow * (_multipleScans ? RoundUp(c.HeightInBlocks, c.V) : c.V);
            c.Coefficients = ArrayPool<short>.Shared.Rent(checked((int)(blocks * 64)));
            c.Coefficients.AsSpan(0, (int)(blocks * 64)).Clear();
            c.SampleStride = blocksPerRow * c.ScaledSize;
            c.Samples = ArrayPool<byte>.Shared.Rent(c.SampleStride * c.RowsPerIMcuRow * 3);
        }
        _coefficientsRented = true;
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    private void ReturnBuffers()
    {
        if (!_coefficientsRented) return;
        foreach (JpegComponent c in _components)
        {
            ArrayPool<short>.Shared.Return(c.Coefficients);
            ArrayPool<byte>.Shared.Return(c.Samples);
            c.Coefficients = [];
            c.Samples = [];
        }
        _coefficientsRented = false;
    }

    /// <summary>
    /// The most scans a multi-scan image may have. Each scan walks every block of its components,
    /// so a small file of thousands of tiny scans would keep a decoder busy for minutes (libjpeg-turbo's
    /// TurboJPEG refuses more than 500 with its scan limit); encoders write about 10.
    /// </summary>
    internal const int MaxScans = 1000;

    /// <summary>Every scan of a multi-scan image, into the whole-image coefficient buffers, until the end-of-image marker.</summary>
    private void ConsumeAllScans(ReadOnlySpan<byte> data)
    {
        while (true)
        {
            if (_inputScanNumber > MaxScans)
                throw new ImageLimitExceededException(_source, $"JPEG has more than {MaxScans} scans (a decoding-time bomb; real encoders write about 10)");
            StartScan(data);
            for (int row = 0; row < _totalIMcuRows; row++) DecodeIMcuRow(data, row, wholeImage: true);
            ResumeMarkersAfterScan();
            if (ReadMarkers(data) == MarkerResult.EndOfImage) return;
        }
    }

    /// <summary>After the only scan of a single-scan image: libjpeg reads on to the end-of-image marker, where a missing end is fine but another scan or a bad marker is an error.</summary>
    private void FinishSingleScan(ReadOnlySpan<byte> data)
    {
        ResumeMarkersAfterScan();
        try
        {
            if (ReadMarkers(data) == MarkerResult.StartOfScan)
                throw Corrupt("a second scan in a single-scan image (expected the end of the image)");
        }
        catch (ImageDecodeException) when (_endOfData)
        {
            // Every row is out: Pillow ignores libjpeg waiting for more bytes here.
        }
    }

    private void ResumeMarkersAfterScan()
    {
        _position = _segment.NextPosition;
        _unreadMarker = _segment.Marker == JpegEntropySegment.EndOfFile ? 0 : _segment.Marker;
    }

    /// <summary>libjpeg's <c>start_input_pass</c>: scan geometry, quantization latching, entropy decoder set-up.</summary>
    private void StartScan(ReadOnlySpan<byte> data)
    {
        if (_componentsInScan == 1)
        {
            JpegComponent c = _scanComponents[0];
            _mcusPerRow = c.WidthInBlocks;
            c.McuWidth = c.McuHeight = 1;
            c.LastColumnWidth = 1;
            c.LastRowHeight = c.HeightInBlocks % c.V == 0 ? c.V : c.HeightInBlocks % c.V;
            _blocksInMcu = 1;
            _mcuComponent[0] = 0;
            _mcuBlockRow[0] = _mcuBlockColumn[0] = 0;
        }
        else
        {
            _mcusPerRow = DivideRoundingUp(_width, _maxH * 8);
            _blocksInMcu = 0;
            for (int i = 0; i < _componentsInScan; i++)
            {
                JpegComponent c = _scanComponents[i];
                c.McuWidth = c.H;
                c.McuHeight = c.V;
                c.LastColumnWidth = c.WidthInBlocks % c.H == 0 ? c.H : c.WidthInBlocks % c.H;
                c.LastRowHeight = c.HeightInBlocks % c.V == 0 ? c.V : c.HeightInBlocks % c.V;
                if (_blocksInMcu + c.H * c.V > MaxBlocksInMcu) throw Corrupt("too many blocks in one MCU");
                for (int y = 0; y < c.V; y++)
                {
                    for (int x = 0; x < c.H; x++)
                    {
                        _mcuComponent[_blocksInMcu] = i;
                        _mcuBlockRow[_blocksInMcu] = y;
                        _mcuBlockColumn[_blocksInMcu] = x;
                        _blocksInMcu++;
                    }
                }
            }
        }

        for (int i = 0; i < _componentsInScan; i++)
        {
            JpegComponent c = _scanComponents[i];
            if (c.Quantization is not null) continue;
            ushort[] table = (c.QuantizationSlot < 4 ? _quantizationTables[c.QuantizationSlot] : null)
                ?? throw Corrupt($"quantization table {c.QuantizationSlot} is not defined");
            c.Quantization = [.. table.Select(q => (short)q)];
        }

        if (_arithmetic) StartArithmeticScan();
        else if (_progressive) StartProgressiveScan();
        else StartSequentialScan();

        // The entropy-coded data starts right after the scan header.
        _segment.Load(data, _position);
        _reader.Reset(_segment, _source);
        _insufficientData = false;
        _restartsToGo = _restartInterval;
        _endOfBandRun = 0;
        Array.Clear(_lastDc);
    }
}
