using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace FastLaDeDa.Imaging.Formats.Webp;

/// <summary>
/// The least-significant-bit-first reader of a VP8L bitstream (RFC 9649 §3), with libwebp 1.2.4's
/// end-of-stream rules, because those decide which damaged files fail: 64 bits are kept in a window,
/// reading past the data yields zero bits until the window itself is exhausted (so a stream shorter
/// than 8 bytes may be over-read by up to 64 bits without error), and once a read crosses the end the
/// reader is flagged and its window position reset to 0, exactly as libwebp does.
/// </summary>
/// <remarks>
/// Two styles of use, as in libwebp: <see cref="ReadBits"/> for header fields (checks and refills on
/// every call), and <see cref="FillWindow"/> + <see cref="PeekBits"/> + <see cref="Skip"/> for the
/// Huffman symbols of the pixel loop (at least 32 valid bits after a fill; the end is checked by the
/// caller through <see cref="IsEndOfStream"/>).
/// </remarks>
internal ref struct Vp8LBitReader
{
    private const int WindowBits = 64;

    private readonly ReadOnlySpan<byte> _data;
    private ulong _window;     // the next bytes of the stream, least significant first
    private int _nextByte;     // index in _data of the next byte to shift into the window
    private int _usedBits;     // bits of _window already consumed
    private bool _endOfStream; // sticky: a read went past the end

    /// <summary>Starts reading <paramref name="data"/> at its first bit.</summary>
    public Vp8LBitReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        int count = Math.Min(data.Length, sizeof(ulong));
        ulong window = 0;
        for (int i = 0; i < count; i++)
            window |= (ulong)data[i] << (8 * i);
        _window = window;
        _nextByte = count;
    }

    /// <summary>True once more bits were consumed than the stream holds (libwebp's VP8LIsEndOfStream).</summary>
    public readonly bool IsEndOfStream
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _endOfStream || (_nextByte == _data.Length && _usedBits > WindowBits);
    }

    /// <summary>The sticky flag alone, as libwebp's header code tests it (<c>br-&gt;eos_</c>).</summary>
    public readonly bool EndOfStreamFlagged => _endOfStream;

    /// <summary>Reads <paramref name="count"/> (0..24) bits; returns 0 once the stream has ended.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint ReadBits(int count)
    {
        if (_endOfStream) return 0;
        uint value = (uint)(_window >> (_usedBits & (WindowBits - 1))) & ((1u << count) - 1);
        _usedBits += count;
        // libwebp shifts whole bytes in after every read; with fewer than 8 bits used nothing changes.
        if (_usedBits >= 8) ShiftInBytes();
        return value;
    }

    /// <summary>The next 32 (or more) bits of the window, least significant first; valid after <see cref="FillWindow"/>.</summary>
    public readonly uint PeekBits
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => (uint)(_window >> (_usedBits & (WindowBits - 1)));
    }

    /// <summary>Consumes <paramref name="count"/> bits already examined with <see cref="PeekBits"/> (no end check).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Skip(int count) => _usedBits += count;

    /// <summary>Makes at least 32 unread bits available when half the window is used.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void FillWindow()
    {
        if (_usedBits >= 32) ShiftInBytes();
    }

    /// <summary>
    /// Shifts in the bytes whose bits are all used: the window is always the 8 bytes before
    /// <see cref="_nextByte"/>, so far from the end that is one load; near the end it goes byte by byte
    /// and tracks the end of the stream.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void ShiftInBytes()
    {
        int bytes = _usedBits >> 3;
        int next = _nextByte + bytes;
        if (next <= _data.Length && _nextByte >= sizeof(ulong))
        {
            _window = BinaryPrimitives.ReadUInt64LittleEndian(_data.Slice(next - sizeof(ulong), sizeof(ulong)));
            _nextByte = next;
            _usedBits &= 7;
            return;
        }
        this = ShiftInBytesNearEnd(this);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Vp8LBitReader ShiftInBytesNearEnd(Vp8LBitReader reader)
    {
        while (reader._usedBits >= 8 && reader._nextByte < reader._data.Length)
        {
            reader._window = (reader._window >> 8) | ((ulong)reader._data[reader._nextByte] << (WindowBits - 8));
            reader._nextByte++;
            reader._usedBits -= 8;
        }
        if (reader.IsEndOfStream)
        {
            reader._endOfStream = true;
            reader._usedBits = 0;
        }
        return reader;
    }
}
