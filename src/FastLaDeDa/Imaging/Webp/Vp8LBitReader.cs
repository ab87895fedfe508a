using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace FastLaDeDa.Imaging.Webp;

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
    /// <summary>The largest bit count one <see cref="ReadBits"/> call accepts.</summary>
    public const int MaxBitsPerRead = 24;

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
    public uint ReadBits(int count)
    {
        if (_endOfStream) return 0;
        uint value = (uint)(_window >> (_usedBits & (WindowBits - 1))) & ((1u << count) - 1);
        _usedBits += count;
        ShiftInBytes();
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
        if (_usedBits >= 32) Refill();
    }

    /// <summary>Latches the end-of-stream state into the sticky flag, as libwebp's pixel loops do after each symbol.</summary>
    public void LatchEndOfStream() => _endOfStream = IsEndOfStream;

    private void Refill()
    {
        // Whole 32-bit words while they are far from the end; byte by byte near it, where the
        // end-of-stream state must be tracked exactly.
        if (_nextByte + sizeof(ulong) < _data.Length)
        {
            _window = (_window >> 32) | ((ulong)BinaryPrimitives.ReadUInt32LittleEndian(_data.Slice(_nextByte, 4)) << 32);
            _usedBits -= 32;
            _nextByte += 4;
            return;
        }
        ShiftInBytes();
    }

    private void ShiftInBytes()
    {
        while (_usedBits >= 8 && _nextByte < _data.Length)
        {
            _window = (_window >> 8) | ((ulong)_data[_nextByte] << (WindowBits - 8));
            _nextByte++;
            _usedBits -= 8;
        }
        if (IsEndOfStream)
        {
            _endOfStream = true;
            _usedBits = 0;
        }
    }
}
