using System.Buffers;

namespace FastLaDeDa.Imaging.Formats.Jpeg;

/// <summary>
/// One entropy-coded segment of a scan: the bytes between the end of a scan header (or a restart
/// marker) and the next marker, with the 0xFF00 byte stuffing removed, held in a pooled buffer
/// padded with zero bytes so the bit reader can load eight bytes at a time without checks.
/// </summary>
/// <remarks>
/// libjpeg reads a scan byte by byte and stops at the first marker: 0xFF followed by a byte other
/// than 0x00 and 0xFF. A run of 0xFF fill bytes before either counts as one 0xFF, so 0xFF 0xFF 0x00
/// is one 0xFF data byte. Past the marker it feeds the decoder zero bits. Unstuffing the segment
/// first gives the same bits and keeps the stuffing logic out of the Huffman decoder's loop.
/// </remarks>
internal sealed class JpegEntropySegment : IDisposable
{
    /// <summary>Zero bytes kept after the data (the reader loads 8 bytes at once).</summary>
    public const int Padding = 16;

    /// <summary>The value of <see cref="Marker"/> when the data runs to the end of the file.</summary>
    public const int EndOfFile = -1;

    private byte[] _buffer = [];

    /// <summary>The unstuffed bytes followed by at least <see cref="Padding"/> zero bytes.</summary>
    public byte[] Buffer => _buffer;

    /// <summary>Number of data bytes in <see cref="Buffer"/>.</summary>
    public int Length { get; private set; }

    /// <summary>The marker code that ends the segment (0x01–0xFE), or <see cref="EndOfFile"/>.</summary>
    public int Marker { get; private set; }

    /// <summary>The offset in the file just past the terminating marker (the file length at <see cref="EndOfFile"/>).</summary>
    public int NextPosition { get; private set; }

    /// <summary>Makes this an empty segment ending at <paramref name="marker"/> (a decoder stopped in front of a marker reads nothing).</summary>
    public void SetEmpty(int marker, int nextPosition)
    {
        EnsureCapacity(0);
        Length = 0;
        _buffer.AsSpan(0, Padding).Clear();
        Marker = marker;
        NextPosition = nextPosition;
    }

    /// <summary>Reads the segment starting at <paramref name="position"/> of <paramref name="file"/>.</summary>
    public void Load(ReadOnlySpan<byte> file, int position)
    {
        ReadOnlySpan<byte> rest = file[position..];
        EnsureCapacity(rest.Length);
        Span<byte> output = _buffer;
        int length = 0, i = 0;
        Marker = EndOfFile;
        NextPosition = file.Length;
        while (i < rest.Length)
        {
            int ff = rest[i..].IndexOf((byte)0xFF);
            if (ff < 0)
            {
                rest[i..].CopyTo(output[length..]);
                length += rest.Length - i;
                break;
            }
            rest.Slice(i, ff).CopyTo(output[length..]);
            length += ff;
            i += ff + 1;
            while (i < rest.Length && rest[i] == 0xFF) i++; // fill bytes
            if (i >= rest.Length) break; // the file ends inside a marker: no more data
            if (rest[i] == 0x00)
            {
                output[length++] = 0xFF;
                i++;
                continue;
            }
            Marker = rest[i];
            NextPosition = position + i + 1;
            break;
        }
        Length = length;
        output.Slice(length, Padding).Clear();
    }

    private void EnsureCapacity(int dataBytes)
    {
        if (_buffer.Length >= dataBytes + Padding) return;
        if (_buffer.Length > 0) ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = ArrayPool<byte>.Shared.Rent(dataBytes + Padding);
    }

    /// <summary>Returns the pooled buffer.</summary>
    public void Dispose()
    {
        if (_buffer.Length > 0) ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }
}
