using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace FastLaDeDa.Imaging.Formats.Png;

/// <summary>
/// The PNG unfiltering kernels with x86 SIMD (AVX2 machines). Up adds 32 bytes at a time. Sub is
/// a prefix sum: each 16-byte block holds as many whole pixels as fit, a log-step scan adds every
/// pixel to the ones after it, and the previous block's last pixel is broadcast and added. Average
/// and Paeth depend on the pixel just decoded, so they go one pixel at a time with all of its
/// channels in one vector of 16-bit lanes (the arithmetic the reference does per byte, done for
/// up to 8 bytes at once); two consecutive Paeth rows share those instructions, one in each half
/// of a 256-bit vector. For 1 and 2 bytes per pixel the scalar reference is as fast.
/// </summary>
internal sealed class PngUnfilterVector256 : PngUnfilter
{
    /// <summary>The single instance.</summary>
    public static PngUnfilterVector256 Instance { get; } = new();

    private PngUnfilterVector256() { }

    /// <inheritdoc/>
    public override string Isa => "Vector256";

    /// <inheritdoc/>
    public override bool IsSupported => Vector256.IsHardwareAccelerated && Avx2.IsSupported;

    /// <summary>The Sub scan's plan for each pixel size (index: bytes per pixel).</summary>
    private static readonly SubPlan[] SubPlans = [.. Enumerable.Range(0, 9).Select(bpp => new SubPlan(Math.Max(bpp, 1)))];

    /// <inheritdoc/>
    public override void Unfilter(PngFilterType filter, ReadOnlySpan<byte> raw, ReadOnlySpan<byte> prior, Span<byte> current, int rowBytes, int bytesPerPixel)
    {
        CheckLayout(raw, prior, current, rowBytes, bytesPerPixel);
        ref byte input = ref MemoryMarshal.GetReference(raw);
        ref byte above = ref Unsafe.Add(ref MemoryMarshal.GetReference(prior), PngRowLayout.Pad);
        ref byte output = ref Unsafe.Add(ref MemoryMarshal.GetReference(current), PngRowLayout.Pad);
        switch (filter)
        {
            case PngFilterType.None:
                raw[..rowBytes].CopyTo(current.Slice(PngRowLayout.Pad, rowBytes));
                break;
            case PngFilterType.Up:
                Up(ref input, ref above, ref output, (nuint)rowBytes);
                break;
            case PngFilterType.Sub:
                Sub(ref input, ref output, (nuint)rowBytes, SubPlans[bytesPerPixel]);
                break;
            case PngFilterType.Average when bytesPerPixel >= 3:
                Average(ref input, ref above, ref output, (nuint)rowBytes, (nuint)bytesPerPixel);
                break;
            case PngFilterType.Paeth when bytesPerPixel >= 3:
                Paeth(ref input, ref above, ref output, (nuint)rowBytes, (nuint)bytesPerPixel);
                break;
            default:
                PngUnfilterReference.Unfilter(filter, raw, prior, current, rowBytes, bytesPerPixel);
                break;
        }
    }

    // Every loop below runs while its start offset is inside the row (the Paeth pair: at most one
    // pixel past it), so loads and stores reach at most 31 bytes past the row: inside the slack
    // CheckLayout guaranteed.

    private static void Up(ref byte input, ref byte above, ref byte output, nuint length)
    {
        for (nuint i = 0; i < length; i += (nuint)Vector256<byte>.Count)
            (Vector256.LoadUnsafe(ref input, i) + Vector256.LoadUnsafe(ref above, i)).StoreUnsafe(ref output, i);
    }

    private static void Sub(ref byte input, ref byte output, nuint length, SubPlan plan)
    {
        Vector128<byte> previous = Vector128<byte>.Zero;
        for (nuint i = 0; i < length; i += plan.Step)
        {
            Vector128<byte> v = Vector128.LoadUnsafe(ref input, i);
            v += Ssse3.Shuffle(v, plan.Shift1);
            if (plan.Shifts > 1) v += Ssse3.Shuffle(v, plan.Shift2);
            if (plan.Shifts > 2) v += Ssse3.Shuffle(v, plan.Shift4);
            if (plan.Shifts > 3) v += Ssse3.Shuffle(v, plan.Shift8);
            v += Ssse3.Shuffle(previous, plan.Carry);
            v.StoreUnsafe(ref output, i);
            previous = v;
        }
    }

    private static void Average(ref byte input, ref byte above, ref byte output, nuint length, nuint bytesPerPixel)
    {
        Vector128<short> left = Vector128<short>.Zero;
        Vector128<short> lowByte = Vector128.Create((short)0xFF);
        for (nuint i = 0; i < length; i += bytesPerPixel)
        {
            // x + ((a + b) >> 1) = (a + (2x + b)) >> 1: the sum that does not need a comes first.
            Vector128<short> x = Load8(ref input, i), b = Load8(ref above, i);
            left = Vector128.ShiftRightLogical(left + (x + x + b), 1) & lowByte;
            Store8(ref output, i, left);
        }
    }

    private static void Paeth(ref byte input, ref byte above, ref byte output, nuint length, nuint bytesPerPixel)
    {
        // Only the lower 128 bits carry a pixel; the upper lanes compute nothing anyone reads.
        Vector256<short> a = Vector256<short>.Zero, c = Vector256<short>.Zero;
        for (nuint i = 0; i < length; i += bytesPerPixel)
        {
            Vector256<short> b = Load8(ref above, i).ToVector256Unsafe();
            a = PaethStep(a, b, c, Load8(ref input, i).ToVector256Unsafe());
            Store8(ref output, i, a.GetLower());
            c = b;
        }
    }

    /// <inheritdoc/>
    public override void UnfilterPaethPair(ReadOnlySpan<byte> raw, ReadOnlySpan<byte> nextRaw, ReadOnlySpan<byte> prior, Span<byte> current, Span<byte> next, int rowBytes, int bytesPerPixel)
    {
        if (bytesPerPixel < 3)
        {
            base.UnfilterPaethPair(raw, nextRaw, prior, current, next, rowBytes, bytesPerPixel);
            return;
        }
        CheckLayout(raw, prior, current, rowBytes, bytesPerPixel);
        CheckLayout(nextRaw, current, next, rowBytes, bytesPerPixel);
        PaethPair(ref MemoryMarshal.GetReference(raw), ref MemoryMarshal.GetReference(nextRaw),
            ref Unsafe.Add(ref MemoryMarshal.GetReference(prior), PngRowLayout.Pad),
            ref Unsafe.Add(ref MemoryMarshal.GetReference(current), PngRowLayout.Pad),
            ref Unsafe.Add(ref MemoryMarshal.GetReference(next), PngRowLayout.Pad), (nuint)rowBytes, (nuint)bytesPerPixel);
    }

    /// <summary>
    /// Two Paeth rows in one 256-bit vector, one pixel apart: the lower half decodes pixel i of the
    /// first row, the upper half pixel i − 1 of the second, whose pixel above is the lower half's
    /// result of the step before. The two dependency chains share every instruction.
    /// </summary>
    private static void PaethPair(ref byte input, ref byte nextInput, ref byte above, ref byte output, ref byte nextOutput, nuint length, nuint bytesPerPixel)
    {
        // Pixel 0 of the first row alone; the second row's "left" and "upper left" start at zero.
        Vector256<short> c = Load8(ref above, 0).ToVector256();
        Vector256<short> a = PaethStep(Vector256<short>.Zero, c, Vector256<short>.Zero, Load8(ref input, 0).ToVector256()).WithUpper(Vector128<short>.Zero);
        Store8(ref output, 0, a.GetLower());
        // One step past the first row's end finishes the second row's last pixel; the first row's
        // extra pixel lands in its slack.
        for (nuint i = bytesPerPixel; i < length + bytesPerPixel; i += bytesPerPixel)
        {
            Vector128<ulong> packed = Vector128.Create(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref input, i)), Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref nextInput, i - bytesPerPixel)));
            Vector256<short> x = Avx2.ConvertToVector256Int16(packed.AsByte());
            Vector256<short> b = Vector256.Create(Load8(ref above, i), a.GetLower());
            a = PaethStep(a, b, c, x);
            Vector256<ulong> bytes = Avx2.PackUnsignedSaturate(a, a).AsUInt64();
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref output, i), bytes.GetElement(0));
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref nextOutput, i - bytesPerPixel), bytes.GetElement(2));
            c = b;
        }
    }

    /// <summary>
    /// One Paeth step in every 16-bit lane: <paramref name="x"/> plus the predictor of left
    /// <paramref name="a"/>, above <paramref name="b"/> and upper left <paramref name="c"/>, modulo 256.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<short> PaethStep(Vector256<short> a, Vector256<short> b, Vector256<short> c, Vector256<short> x)
    {
        Vector256<short> lowByte = Vector256.Create((short)0xFF);
        // p = a + b - c; pa = |p - a| = |b - c|, pb = |p - b| = |a - c|, pc = |p - c| = |a - (2c - b)|.
        // Everything that does not depend on a (the pixel just decoded) is computed first, so the
        // chain from one pixel to the next is sub, abs, min, compare, select.
        Vector256<short> pa = Vector256.Abs(b - c), twoCMinusB = c + c - b;
        Vector256<short> xb = (x + b) & lowByte, xc = (x + c) & lowByte, xa = (x + a) & lowByte;
        Vector256<short> pb = Vector256.Abs(a - c), pc = Vector256.Abs(a - twoCMinusB);
        // a if pa <= pb and pa <= pc, else b if pb <= pc, else c.
        Vector256<short> withBOrC = Vector256.ConditionalSelect(Vector256.GreaterThan(pb, pc), xc, xb);
        return Vector256.ConditionalSelect(Vector256.GreaterThan(pa, Vector256.Min(pb, pc)), withBOrC, xa);
    }

    /// <summary>8 bytes at <paramref name="offset"/> widened to 16-bit lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<short> Load8(ref byte source, nuint offset) =>
        Vector128.WidenLower(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref source, offset))).AsByte()).AsInt16();

    /// <summary>Stores the 8 lanes (each 0..255) of <paramref name="value"/> as bytes at <paramref name="offset"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store8(ref byte destination, nuint offset, Vector128<short> value) =>
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref destination, offset), Sse2.PackUnsignedSaturate(value, value).AsUInt64().ToScalar());

    /// <summary>
    /// The shuffles of the Sub prefix sum for one pixel size: a block of <see cref="Step"/> bytes
    /// (the whole pixels that fit in 16), the scan's shifts by 1, 2, 4 and 8 pixels that stay
    /// inside the block, and the broadcast of the previous block's last pixel.
    /// </summary>
    private sealed class SubPlan
    {
        public SubPlan(int bytesPerPixel)
        {
            int step = 16 / bytesPerPixel * bytesPerPixel;
            Step = (nuint)step;
            Shifts = new[] { 1, 2, 4, 8 }.Count(pixels => pixels * bytesPerPixel < step);
            // Lane j takes lane j - shift; 0x80 makes pshufb write zero.
            Vector128<byte> Shift(int pixels) =>
                Vector128.Create([.. Enumerable.Range(0, 16).Select(j => j >= pixels * bytesPerPixel ? (byte)(j - pixels * bytesPerPixel) : (byte)0x80)]);
            Shift1 = Shift(1);
            Shift2 = Shift(2);
            Shift4 = Shift(4);
            Shift8 = Shift(8);
            Carry = Vector128.Create([.. Enumerable.Range(0, 16).Select(j => (byte)((int)Step - bytesPerPixel + j % bytesPerPixel))]);
        }

        /// <summary>Bytes decoded per block.</summary>
        public nuint Step { get; }

        /// <summary>How many of the shifts are used (the others would move every byte out of the block).</summary>
        public int Shifts { get; }

        public Vector128<byte> Shift1 { get; }
        public Vector128<byte> Shift2 { get; }
        public Vector128<byte> Shift4 { get; }
        public Vector128<byte> Shift8 { get; }

        /// <summary>Lane j takes byte Step - bpp + j mod bpp: the last whole pixel, repeated.</summary>
        public Vector128<byte> Carry { get; }
    }
}
