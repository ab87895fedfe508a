using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace FastLaDeDa.Engines.Cpu;

/// <summary>
/// A pinned float array whose usable part starts on a 64-byte (cache-line) boundary, so vector
/// loads and stores of whole registers never straddle two lines. Pinned on the pinned-object heap:
/// its address never changes, so kernels hold raw pointers into it.
/// </summary>
internal sealed unsafe class LaDeDaAlignedBuffer
{
    private readonly float[] _array;
    private readonly int _start;

    /// <summary>Allocates <paramref name="length"/> floats, zeroed.</summary>
    public LaDeDaAlignedBuffer(long length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (length > Array.MaxLength - 16) throw new OutOfMemoryException($"a LaDeDa buffer of {length} floats is too large");
        _array = GC.AllocateArray<float>((int)length + 16, pinned: true);
        nuint address = (nuint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_array));
        _start = (int)((64 - (address & 63)) & 63) / sizeof(float);
        Length = length;
    }

    /// <summary>Usable floats.</summary>
    public long Length { get; }

    /// <summary>The first usable float (64-byte aligned).</summary>
    public float* Pointer => (float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_array)) + _start;

    /// <summary>The usable floats.</summary>
    public Span<float> Span => _array.AsSpan(_start, (int)Length);
}
