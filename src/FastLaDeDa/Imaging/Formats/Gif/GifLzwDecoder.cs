namespace FastLaDeDa.Imaging.Formats.Gif;

/// <summary>
/// The LZW decoder of a GIF frame, behaving exactly like Pillow 9.4's <c>ImagingGifDecode</c>
/// (libImaging/GifDecode.c) on every input, malformed ones included, and like it resumable: it
/// can stop at any sub-block boundary and continue when given more data.
/// </summary>
/// <remarks>
/// <para>Pillow's behaviour where decoders differ:</para>
/// <list type="bullet">
/// <item>decoding ends as soon as the last pixel of the frame is written; the end code is never
/// needed, and an end code before that only suspends the decoder (what follows it is decoded
/// when the caller supplies more data);</item>
/// <item>the first code after a clear must be a literal, a later code at most the next free
/// code, else the stream is broken;</item>
/// <item>the code width grows when the next free code equals the current mask (so with a
/// minimum code size of 0 or 1 it never grows) and stops at 12 bits, where the table stops
/// growing too;</item>
/// <item>indices are stored as bytes, so with minimum code sizes above 8 a literal keeps its low
/// byte;</item>
/// <item>interlaced frames are written in the four passes, skipping the rows a small frame
/// lacks.</item>
/// </list>
/// <para>Every code consumes input bits and writes at least one pixel or resets the table, and
/// the string of one code is at most 4096 bytes, so the work is bounded by the input size and
/// the frame size.</para>
/// </remarks>
internal sealed class GifLzwDecoder
{
    private const int MaxCodeBits = 12;
    private const int TableSize = 1 << MaxCodeBits;

    private enum Phase { Reset, FirstCode, Codes }

    // Where the pixels go.
    private readonly byte[] _canvas;
    private readonly int _canvasWidth, _left, _top, _width, _height;
    private int _x, _y, _rowStep, _interlacePass;
    private int _rowStart; // canvas index of the region's first pixel on row _y

    // Input bits.
    private int _bitBuffer, _bitCount, _blockRemaining;

    // The code table: each code is a prefix code plus one last byte.
    private readonly int _clear, _end, _rootBits;
    private readonly ushort[] _prefix = new ushort[TableSize];
    private readonly byte[] _suffix = new byte[TableSize];
    private Phase _phase = Phase.Reset;
    private int _codeSize, _codeMask, _next, _lastCode;
    private byte _lastFirstByte;

    // The string of the last code, built backwards from the end; _pending marks its start.
    private readonly byte[] _string = new byte[TableSize];
    private int _pending = TableSize;

    /// <summary>Prepares to decode into <paramref name="canvas"/> (one index per pixel, <paramref name="canvasWidth"/> per row).</summary>
    /// <param name="minimumCodeSize">The frame's LZW minimum code size, 0 to 12.</param>
    /// <param name="interlaced">Whether rows come in the four interlaced passes.</param>
    /// <param name="canvas">The canvas; only the region is written.</param>
    /// <param name="canvasWidth">Pixels per canvas row.</param>
    /// <param name="region">The rectangle to fill, inside the canvas.</param>
    public GifLzwDecoder(int minimumCodeSize, bool interlaced, byte[] canvas, int canvasWidth, (int Left, int Top, int Width, int Height) region)
    {
        if (minimumCodeSize is < 0 or > MaxCodeBits) throw new ArgumentOutOfRangeException(nameof(minimumCodeSize));
        _rootBits = minimumCodeSize;
        _clear = 1 << minimumCodeSize;
        _end = _clear + 1;
        _canvas = canvas;
        _canvasWidth = canvasWidth;
        (_left, _top, _width, _height) = region;
        _interlacePass = interlaced ? 1 : 0;
        _rowStep = interlaced ? 8 : 1;
        _rowStart = _top * _canvasWidth + _left;
    }

    /// <summary>
    /// Decodes from <paramref name="position"/> in <paramref name="input"/> (sub-blocks: a length
    /// byte, then data) until the frame is complete, an end code, a sub-block that does not lie
    /// wholly in <paramref name="input"/>, or a broken code.
    /// </summary>
    public GifLzwStatus Decode(ReadOnlySpan<byte> input, ref int position)
    {
        while (true)
        {
            if (_phase == Phase.Reset)
            {
                _next = _clear + 2;
                _codeSize = _rootBits + 1;
                _codeMask = (1 << _codeSize) - 1;
                _pending = TableSize;
                _phase = Phase.FirstCode;
            }

            if (_pending < TableSize)
            {
                // The rest of the last code's string.
                int start = _pending;
                _pending = TableSize;
                if (!Write(_string.AsSpan(start))) return GifLzwStatus.Complete;
                continue;
            }

            if (!TryReadCode(input, ref position, out int code)) return GifLzwStatus.Suspended;
            if (code == _clear)
            {
                if (_phase != Phase.FirstCode) _phase = Phase.Reset;
                continue;
            }
            if (code == _end) return GifLzwStatus.Suspended;
            if (!Expand(code)) return GifLzwStatus.Broken;
            if (!Write(_lastFirstByte)) return GifLzwStatus.Complete;
        }
    }

    // Takes one code from the bit buffer, refilling it from the sub-blocks.
    private bool TryReadCode(ReadOnlySpan<byte> input, ref int position, out int code)
    {
        while (_bitCount < _codeSize)
        {
            if (_blockRemaining > 0)
            {
                _bitBuffer |= input[position++] << _bitCount;
                _bitCount += 8;
                _blockRemaining--;
            }
            else
            {
                // A sub-block is only started once it is wholly available.
                if (position >= input.Length || input.Length - position < input[position] + 1)
                {
                    code = 0;
                    return false;
                }
                _blockRemaining = input[position++];
            }
        }
        code = _bitBuffer & _codeMask;
        _bitBuffer >>= _codeSize;
        _bitCount -= _codeSize;
        return true;
    }

    // Decodes a data code: its first byte in _lastFirstByte, the rest of its string pending.
    private bool Expand(int code)
    {
        if (_phase == Phase.FirstCode)
        {
            if (code > _clear) return false;
            _lastFirstByte = (byte)code;
            _lastCode = code;
            _phase = Phase.Codes;
            return true;
        }

        int thisCode = code;
        if (code > _next) return false;
        if (code == _next)
        {
            // Not yet in the table: the previous string plus its own first byte.
            _string[--_pending] = _lastFirstByte;
            code = _lastCode;
        }
        while (code >= _clear)
        {
            if (_pending <= 0 || code >= TableSize) return false;
            _string[--_pending] = _suffix[code];
            code = _prefix[code];
        }
        _lastFirstByte = (byte)code;

        if (_next < TableSize)
        {
            _suffix[_next] = (byte)code;
            _prefix[_next] = (ushort)_lastCode;
            if (_next == _codeMask && _codeSize < MaxCodeBits)
            {
                _codeSize++;
                _codeMask = (1 << _codeSize) - 1;
            }
            _next++;
        }
        _lastCode = thisCode;
        return true;
    }

    // Writes one pixel (the first of each code's string); false once the region is full.
    private bool Write(byte pixel)
    {
        _canvas[_rowStart + _x] = pixel;
        return ++_x < _width || NextRow();
    }

    // Writes pixels along the rows of the region; false once its last row is done.
    private bool Write(ReadOnlySpan<byte> pixels)
    {
        while (!pixels.IsEmpty)
        {
            int count = Math.Min(pixels.Length, _width - _x);
            pixels[..count].CopyTo(_canvas.AsSpan(_rowStart + _x, count));
            pixels = pixels[count..];
            _x += count;
            if (_x == _width && !NextRow()) return false;
        }
        return true;
    }

    // Moves to the next row, through the interlaced passes (rows 0, 8, ...; 4, 12, ...; 2, 6, ...; 1, 3, ...).
    private bool NextRow()
    {
        _x = 0;
        _y += _rowStep;
        while (_y >= _height)
        {
            switch (_interlacePass)
            {
                case 1: _y = 4; _interlacePass = 2; break;
                case 2: _rowStep = 4; _y = 2; _interlacePass = 3; break;
                case 3: _rowStep = 2; _y = 1; _interlacePass = 0; break;
                default: return false;
            }
        }
        _rowStart = (_top + _y) * _canvasWidth + _left;
        return true;
    }
}
