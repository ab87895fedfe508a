using FastLaDeDa.Imaging.Formats.Png;
using FastLaDeDa.Tests.Support;

namespace FastLaDeDa.Tests.Imaging;

/// <summary>
/// The PNG unfiltering kernels: every implementation undoes the specification's filters (as
/// <see cref="TestPngWriter.Filter"/> applies them) on random rows, and every SIMD implementation
/// equals the scalar reference byte for byte on every row length from 1 to 70 (every remainder of
/// the vector loops) and every pixel size from 1 to 8, for all five filter types and for pairs of
/// Paeth rows decoded together. Implementations this machine cannot run are not listed.
/// </summary>
[Trait(PerIsaSuites.Trait, PerIsaSuites.Value)]
public sealed class PngUnfilterTests
{
    private const int Pad = PngRowLayout.Pad, Slack = PngRowLayout.Slack;

    public static TheoryData<string> Kernels() => Implementations.Names(PngUnfilter.All);

    public static TheoryData<string> VectorKernels() => Implementations.Names(PngUnfilter.All.Where(k => k is not PngUnfilterScalar));

    private static PngUnfilter Kernel(string name) => Implementations.ByName(PngUnfilter.All, name);

    /// <summary>A padded row: zero pad, <paramref name="row"/>, then random slack.</summary>
    private static byte[] Padded(ReadOnlySpan<byte> row, Random random)
    {
        var padded = new byte[Pad + row.Length + Slack];
        row.CopyTo(padded.AsSpan(Pad));
        random.NextBytes(padded.AsSpan(Pad + row.Length));
        return padded;
    }

    private static byte[] RandomRow(Random random, int length, int kind)
    {
        var row = new byte[length];
        switch (kind)
        {
            case 0: random.NextBytes(row); break;
            case 1: row.AsSpan().Fill(255); break;                                              // sums wrap at every byte
            case 2: for (int i = 0; i < length; i++) row[i] = (byte)(random.Next(2) * 255); break; // extremes: Paeth's distances at their largest
            default: for (int i = 0; i < length; i++) row[i] = (byte)(128 + random.Next(-3, 4)); break; // near-ties in Paeth
        }
        return row;
    }

    [SkippableTheory]
    [MemberData(nameof(Kernels))]
    public void Unfiltering_inverts_the_specification_filters(string name)
    {
        PngUnfilter kernel = Kernel(name);
        var random = new Random(20261205);
        for (int bytesPerPixel = 1; bytesPerPixel <= 8; bytesPerPixel++)
            for (int length = 1; length <= 70; length++)
                for (int filter = 0; filter <= 4; filter++)
                    for (int kind = 0; kind < 4; kind++)
                    {
                        byte[] original = RandomRow(random, length, kind), above = RandomRow(random, length, (kind + 1) % 4);
                        byte[] raw = [.. TestPngWriter.Filter(filter, original, above, bytesPerPixel), .. new byte[Slack]];
                        byte[] current = Padded(new byte[length], random);

                        kernel.Unfilter((PngFilterType)filter, raw, Padded(above, random), current, length, bytesPerPixel);

                        Assert.True(original.AsSpan().SequenceEqual(current.AsSpan(Pad, length)),
                            $"{name}: filter {filter}, {bytesPerPixel} bytes per pixel, {length} bytes, row kind {kind}");
                        Assert.True(current.AsSpan(0, Pad).IndexOfAnyExcept((byte)0) < 0, "the zero pad before the row was written");
                    }
    }

    [SkippableTheory]
    [MemberData(nameof(VectorKernels))]
    public void Vector_kernels_equal_the_scalar_reference_on_every_length_and_pixel_size(string name)
    {
        PngUnfilter kernel = Kernel(name);
        var random = new Random(1205);
        int checkedRows = 0;
        for (int bytesPerPixel = 1; bytesPerPixel <= 8; bytesPerPixel++)
            for (int length = 1; length <= 70; length++)
                for (int filter = 0; filter <= 4; filter++)
                    for (int kind = 0; kind < 4; kind++)
                    {
                        // Raw input with random bytes after the row: a kernel reading past the row
                        // end must not let them into the result.
                        byte[] raw = [.. RandomRow(random, length, kind), .. RandomRow(random, Slack, 0)];
                        byte[] prior = Padded(RandomRow(random, length, (kind + 2) % 4), random);
                        byte[] expected = Padded(RandomRow(random, length, 0), random), actual = (byte[])expected.Clone();

                        PngUnfilterScalar.Instance.Unfilter((PngFilterType)filter, raw, prior, expected, length, bytesPerPixel);
                        kernel.Unfilter((PngFilterType)filter, raw, prior, actual, length, bytesPerPixel);

                        Assert.True(expected.AsSpan(0, Pad + length).SequenceEqual(actual.AsSpan(0, Pad + length)),
                            $"{name}: filter {filter}, {bytesPerPixel} bytes per pixel, {length} bytes, row kind {kind}");
                        checkedRows++;
                    }
        Assert.Equal(8 * 70 * 5 * 4, checkedRows);
    }

    [SkippableTheory]
    [MemberData(nameof(Kernels))]
    public void Paeth_pairs_equal_two_reference_paeth_rows_on_every_length_and_pixel_size(string name)
    {
        PngUnfilter kernel = Kernel(name);
        var random = new Random(7);
        for (int bytesPerPixel = 1; bytesPerPixel <= 8; bytesPerPixel++)
            for (int length = 1; length <= 70; length++)
                for (int kind = 0; kind < 4; kind++)
                {
                    byte[] raw = [.. RandomRow(random, length, kind), .. RandomRow(random, Slack, 0)];
                    byte[] nextRaw = [.. RandomRow(random, length, (kind + 1) % 4), .. RandomRow(random, Slack, 0)];
                    byte[] prior = Padded(RandomRow(random, length, (kind + 2) % 4), random);
                    byte[] expectedCurrent = Padded(RandomRow(random, length, 0), random), expectedNext = Padded(RandomRow(random, length, 0), random);
                    byte[] current = (byte[])expectedCurrent.Clone(), next = (byte[])expectedNext.Clone();

                    PngUnfilterReference.Unfilter(PngFilterType.Paeth, raw, prior, expectedCurrent, length, bytesPerPixel);
                    PngUnfilterReference.Unfilter(PngFilterType.Paeth, nextRaw, expectedCurrent, expectedNext, length, bytesPerPixel);
                    kernel.UnfilterPaethPair(raw, nextRaw, prior, current, next, length, bytesPerPixel);

                    string what = $"{name}: {bytesPerPixel} bytes per pixel, {length} bytes, row kind {kind}";
                    Assert.True(expectedCurrent.AsSpan(0, Pad + length).SequenceEqual(current.AsSpan(0, Pad + length)), "first row, " + what);
                    Assert.True(expectedNext.AsSpan(0, Pad + length).SequenceEqual(next.AsSpan(0, Pad + length)), "second row, " + what);
                }
    }

    [Fact]
    public void Short_buffers_are_refused_before_any_kernel_runs()
    {
        foreach (PngUnfilter kernel in PngUnfilter.All.Where(k => k.IsSupported))
        {
            var row = new byte[Pad + 10 + Slack];
            Assert.Throws<ArgumentException>(() => kernel.Unfilter(PngFilterType.Up, new byte[10], row, row.ToArray(), 10, 3)); // raw without slack
            Assert.Throws<ArgumentException>(() => kernel.Unfilter(PngFilterType.Up, new byte[10 + Slack], new byte[Pad + 10], row, 10, 3));
            Assert.Throws<ArgumentException>(() => kernel.Unfilter(PngFilterType.Sub, new byte[10 + Slack], row, row.ToArray(), 10, 9));
            Assert.Throws<ArgumentException>(() => kernel.UnfilterPaethPair(new byte[10 + Slack], new byte[10], row, row.ToArray(), row.ToArray(), 10, 3));
        }
    }
}
