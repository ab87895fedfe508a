using System.Buffers;
using System.Runtime.CompilerServices;

namespace FastLaDeDa.Imaging.Formats.Webp;

/// <summary>
/// The color cache of a VP8L image stream (RFC 9649 §5.2.3): the last colors seen, indexed by a
/// multiplicative hash, so that a repeated color costs one short symbol. Starts all zero (a symbol
/// that refers to an unfilled slot yields transparent black, as in libwebp).
/// </summary>
internal sealed class Vp8LColorCache : IDisposable
{
    /// <summary>Largest cache size in bits that the format allows.</summary>
    public const int MaxBits = 11;

    private const uint HashMultiplier = 0x1e35a7bd;

    private uint[]? _colors;
    private readonly int _shift;

    /// <summary>A zeroed cache of <c>1 &lt;&lt; bits</c> entries (1 ≤ bits ≤ 11).</summary>
    public Vp8LColorCache(int bits)
    {
        Size = 1 << bits;
        _shift = 32 - bits;
        _colors = ArrayPool<uint>.Shared.Rent(Size);
        Array.Clear(_colors, 0, Size);
    }

    /// <summary>Number of entries (the extra symbols of the green alphabet).</summary>
    public int Size { get; }

    /// <summary>The entries, for loops that insert without a call per pixel (see <see cref="Slot"/>).</summary>
    public Span<uint> Colors => _colors.AsSpan(0, Size);

    /// <summary>Right shift of the hash: 32 − bits.</summary>
    public int HashShift => _shift;

    /// <summary>The slot of <paramref name="argb"/>: always below <c>1 &lt;&lt; (32 − hashShift)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Slot(uint argb, int hashShift) => (int)((argb * HashMultiplier) >> hashShift);

    /// <summary>Records a decoded color.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Insert(uint argb) => _colors![Slot(argb, _shift)] = argb;

    /// <summary>The color stored under <paramref name="key"/> (0 ≤ key &lt; <see cref="Size"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint Lookup(int key) => _colors![key];

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_colors is not null) ArrayPool<uint>.Shared.Return(_colors);
        _colors = null;
    }
}
