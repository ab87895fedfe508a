using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace FastLaDeDa.Engines.Cpu;

/// <summary>
/// A pinned float array whose usable part starts on a 64-byte (cache-line) boundary, so vector
/// loads and stores of whole registers never straddle two lines — optionally a chosen number of
/// bytes past a 4 KB page boundary. Pinned on the pinned-object heap: its address never changes,
/// so kernels hold raw pointers into it.
/// </summary>
/// <remarks>
/// The page offset matters when a kernel reads one buffer and writes another at the same
/// positions (a residual add): if the two addresses agree in their low 12 bits, every load looks
/// like it may depend on the store before it (4K aliasing) and waits. Activation buffers get
/// distinct offsets so that never happens.
/// </remarks>
internal sealed unsafe class AlignedFloatBuffer
{
    private readonly float[] _array;
    private readonly int _start;

    /// <summary>Allocates <paramref name="length"/> floats, zeroed, 64-byte aligned.</summary>
    public AlignedFloatBuffer(long length) : this(length, -1) { }

    /// <summary>
    /// Allocates <paramref name="length"/> floats, zeroed, starting <paramref name="pageOffset"/> bytes
    /// (a multiple of 64, below 4096) past a 4 KB boundary; −1: any 64-byte boundary.
    /// </summary>
    public AlignedFloatBuffer(long length, int pageOffset)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (pageOffset >= 4096 || pageOffset % 64 != 0 && pageOffset != -1) throw new ArgumentOutOfRangeException(nameof(pageOffset));
        int slack = pageOffset < 0 ? 16 : 1024 + 16;
        if (length > Array.MaxLength - slack) throw new OutOfMemoryException($"an aligned buffer of {length} floats is too large");
        _array = GC.AllocateArray<float>((int)length + slack, pinned: true);
        nuint address = (nuint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_array));
        nuint alignment = pageOffset < 0 ? 64u : 4096u;
        nuint target = pageOffset < 0 ? 0 : (nuint)pageOffset;
        _start = (int)((target - (address & (alignment - 1)) + alignment) & (alignment - 1)) / sizeof(float);
        Length = length;
    }

    /// <summary>Usable floats.</summary>
    public long Length { get; }

    /// <summary>The first usable float (64-byte aligned).</summary>
    public float* Pointer => (float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_array)) + _start;

    /// <summary>The usable floats.</summary>
    public Span<float> Span => _array.AsSpan(_start, (int)Length);
}
