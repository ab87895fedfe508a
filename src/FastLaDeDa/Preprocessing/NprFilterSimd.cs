using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using FastLaDeDa.Simd;

namespace FastLaDeDa.Preprocessing;

/// <summary>
/// NPR with vectors of one width (<typeparamref name="TOps"/>), written once: per row, 2·Count
/// columns at a time (blocks start at even columns, so the anchor values are the anchor row's
/// values with every even lane duplicated into the odd lane after it); the columns after the last
/// whole block use the scalar formula. <see cref="NprFilterVector256"/> and
/// <see cref="NprFilterVector512"/> are its named instances.
/// </summary>
internal abstract class NprFilterSimd<TOps, TVec> : NprFilter
    where TOps : struct, ISimdOps<TVec>
    where TVec : struct
{
    /// <inheritdoc/>
    public override string Isa => TOps.Isa;

    /// <inheritdoc/>
    public override bool IsSupported => TOps.IsSupported;

    /// <inheritdoc/>
    public override void Apply(ReadOnlySpan<float> src, Span<float> dst, int height, int width, float scale)
    {
        CheckSizes(src, dst, height, width);
        int n = TOps.Count;
        TVec factor = TOps.Broadcast(scale);
        ref float source = ref MemoryMarshal.GetReference(src);
        ref float destination = ref MemoryMarshal.GetReference(dst);
        for (int y = 0; y < height; y++)
        {
            ref float row = ref Unsafe.Add(ref source, (nint)y * width);
            ref float anchorRow = ref Unsafe.Add(ref source, (nint)(y & ~1) * width);
            ref float output = ref Unsafe.Add(ref destination, (nint)y * width);
            int whole = width / (2 * n) * (2 * n);
            Blocks(ref row, ref anchorRow, ref output, whole, factor);
            NprFilterScalar.Row(src, dst, width, y, whole, scale);
        }
    }

    /// <summary>
    /// NPR of columns 0 .. <paramref name="end"/> (a multiple of 2·Count) of one row, given its
    /// anchor row: out[x] = (row[x] − anchor[x &amp; ~1]) · factor. Shared with the fused Tiny-LaDeDa kernel.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Blocks(ref float row, ref float anchorRow, ref float output, int end, TVec factor)
    {
        int n = TOps.Count;
        for (int x = 0; x < end; x += 2 * n)
        {
            // Duplicating the even lanes gives each pixel its anchor (blocks start at even columns).
            TOps.DuplicateEven(TOps.Load(ref Unsafe.Add(ref anchorRow, x)), TOps.Load(ref Unsafe.Add(ref anchorRow, x + n)), out TVec low, out TVec high);
            TOps.Store(ref Unsafe.Add(ref output, x), TOps.Multiply(TOps.Subtract(TOps.Load(ref Unsafe.Add(ref row, x)), low), factor));
            TOps.Store(ref Unsafe.Add(ref output, x + n), TOps.Multiply(TOps.Subtract(TOps.Load(ref Unsafe.Add(ref row, x + n)), high), factor));
        }
    }
}
