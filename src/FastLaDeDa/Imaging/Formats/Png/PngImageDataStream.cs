using System.Buffers.Binary;

namespace FastLaDeDa.Imaging.Formats.Png;

/// <summary>
/// The zlib stream of a PNG as a read-only <see cref="Stream"/>: the bodies of the IDAT chunk at
/// a given offset and of the IDAT chunks directly after it, handed out in order without first
/// copying them into one array. The first chunk of another type ends the stream, as it ends
/// Pillow's image data (<c>PngImageFile.load_read</c>).
/// </summary>
/// <remarks>
/// It reads from pinned memory: the caller pins the file's bytes for the stream's whole life.
/// The chunk layout has been validated by <see cref="PngStructure.Read"/>, so the walk trusts
/// the lengths it finds.
/// </remarks>
internal sealed unsafe class PngImageDataStream : Stream
{
    private const uint Idat = 0x49444154;

    private readonly byte* _file;
    private readonly int _fileLength;
    private int _position;  // next byte to hand out
    private int _chunkEnd;  // end of the current chunk's body

    /// <summary>A stream over the IDAT run starting at <paramref name="firstChunkOffset"/> of the pinned file at <paramref name="file"/>.</summary>
    public PngImageDataStream(byte* file, int fileLength, int firstChunkOffset)
    {
        _file = file;
        _fileLength = fileLength;
        _position = _chunkEnd = firstChunkOffset;
        if (!EnterChunk(firstChunkOffset)) throw new ArgumentException("no IDAT chunk at the given offset", nameof(firstChunkOffset));
    }

    /// <inheritdoc/>
    public override int Read(Span<byte> buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            // Skip the CRC and step into the next chunk while it is an IDAT (empty ones included).
            if (_position == _chunkEnd && !EnterChunk(_chunkEnd + 4)) break;
            int count = Math.Min(buffer.Length - total, _chunkEnd - _position);
            new ReadOnlySpan<byte>(_file + _position, count).CopyTo(buffer[total..]);
            _position += count;
            total += count;
        }
        return total;
    }

    /// <inheritdoc/>
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <summary>Moves to the body of the chunk at <paramref name="offset"/> if it is an IDAT; false where the image data ends.</summary>
    private bool EnterChunk(int offset)
    {
        if (_fileLength - offset < 8) return false;
        var header = new ReadOnlySpan<byte>(_file + offset, 8);
        if (BinaryPrimitives.ReadUInt32BigEndian(header[4..]) != Idat) return false;
        _position = offset + 8;
        _chunkEnd = _position + (int)BinaryPrimitives.ReadUInt32BigEndian(header);
        return true;
    }

    /// <inheritdoc/>
    public override bool CanRead => true;

    /// <inheritdoc/>
    public override bool CanSeek => false;

    /// <inheritdoc/>
    public override bool CanWrite => false;

    /// <inheritdoc/>
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc/>
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <inheritdoc/>
    public override void Flush() { }

    /// <inheritdoc/>
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
