using FastLaDeDa.Imaging.Formats.Webp;

namespace FastLaDeDa.Tests.Imaging.Webp;

/// <summary>
/// The loop filters: values worked out by hand from RFC 6386 section 15 on a step edge, and the
/// SIMD filters against the scalar ones on random planes (every filter, width and threshold).
/// </summary>
public sealed class Vp8DeblockingFilterTests
{
    private const int Stride = 40;

    /// <summary>A plane whose columns step from 60 to 70 at x = 16 (and <paramref name="q1"/> at x = 17), in every row.</summary>
    private static byte[] StepAcrossColumns(byte q1 = 70)
    {
        var plane = new byte[Stride * 24];
        for (int y = 0; y < 24; y++)
            for (int x = 0; x < Stride; x++) plane[y * Stride + x] = (byte)(x < 16 ? 60 : x == 17 ? q1 : 70);
        return plane;
    }

    // Hand-computed from RFC 6386 section 15 on p2 p1 p0 | q0 q1 q2 = 60 60 60 | 70 70 70 (edge
    // value 4*10 + 10 = 50 <= 2*25 + 1; interior differences 0 <= 10; p1 - p0 = q1 - q0 = 0 <= hev 2):
    // simple: a = 3*10 - 10 = 20, p0 += (20+3)>>3 = 2, q0 -= (20+4)>>3 = 3.
    // macroblock edge: a = 20, p0/q0 ±(27a+63)>>7 = 4, p1/q1 ±(18a+63)>>7 = 3, p2/q2 ±(9a+63)>>7 = 1.
    // inner edge: a = 30, q0 -= (30+4)>>3 = 4, p0 += (30+3)>>3 = 4, p1/q1 ±(4+1)>>1 = 2.
    // high variance (q1 = 75, threshold 30: 40 + 15 <= 61; q1 - q0 = 5 > 2): the simple adjustment,
    // a = 30 + clamp(60 - 75) = 15, p0 += (15+3)>>3 = 2, q0 -= (15+4)>>3 = 2.
    public static TheoryData<string, byte, byte[]> StepResults => new()
    {
        { "simple", 70, [60, 60, 62, 67, 70, 70] },
        { "macroblock", 70, [61, 63, 64, 66, 67, 69] },
        { "inner", 70, [60, 62, 64, 66, 68, 70] },
        { "hev", 75, [60, 60, 62, 68, 75, 70] },
    };

    [Theory]
    [MemberData(nameof(StepResults))]
    public void Step_edge_values_follow_the_rfc(string filter, byte q1, byte[] expected)
    {
        foreach (bool vector in Vp8DeblockingFilterVector.IsSupported ? new[] { false, true } : [false])
        {
            byte[] original = StepAcrossColumns(q1), plane = (byte[])original.Clone();
            int at = 4 * Stride + 16;
            switch (filter, vector)
            {
                case ("simple", false): Vp8DeblockingFilter.SimpleHorizontal(plane, at, Stride, 25); break;
                case ("simple", true): Vp8DeblockingFilterVector.SimpleHorizontal(plane, at, Stride, 25); break;
                case ("macroblock", false): Vp8DeblockingFilter.HorizontalEdge(plane, at, Stride, 16, true, 25, 10, 2); break;
                case ("macroblock", true): Vp8DeblockingFilterVector.HorizontalEdge(plane, at, Stride, 16, true, 25, 10, 2); break;
                case ("inner", false): Vp8DeblockingFilter.HorizontalEdge(plane, at, Stride, 16, false, 25, 10, 2); break;
                case ("inner", true): Vp8DeblockingFilterVector.HorizontalEdge(plane, at, Stride, 16, false, 25, 10, 2); break;
                case ("hev", false): Vp8DeblockingFilter.HorizontalEdge(plane, at, Stride, 16, true, 30, 10, 2); break;
                case ("hev", true): Vp8DeblockingFilterVector.HorizontalEdge(plane, at, Stride, 16, true, 30, 10, 2); break;
            }
            // Rows 4..19 filtered, the others untouched; only columns 13..18 may change.
            Assert.Equal(original[..(4 * Stride)], plane[..(4 * Stride)]);
            for (int y = 4; y < 20; y++)
            {
                Assert.Equal(expected, plane.AsSpan(y * Stride + 13, 6).ToArray());
                Assert.Equal(original.AsSpan(y * Stride, 13).ToArray(), plane.AsSpan(y * Stride, 13).ToArray());
                Assert.Equal(original.AsSpan(y * Stride + 19, Stride - 19).ToArray(), plane.AsSpan(y * Stride + 19, Stride - 19).ToArray());
            }
            Assert.Equal(original[(20 * Stride)..], plane[(20 * Stride)..]);
        }
    }

    [Fact]
    public void Edges_above_the_threshold_are_kept()
    {
        byte[] plane = StepAcrossColumns();
        // 4*10 + 10 = 50 > 2*24 + 1: no filtering at all.
        Vp8DeblockingFilter.SimpleHorizontal(plane, 4 * Stride + 16, Stride, 24);
        Vp8DeblockingFilter.HorizontalEdge(plane, 4 * Stride + 16, Stride, 16, true, 24, 10, 2);
        Assert.Equal(StepAcrossColumns(), plane);
    }

    /// <summary>Smooth ramps, steps and noise, so that every mask and branch is taken somewhere.</summary>
    private static byte[] RandomPlane(Random random)
    {
        var plane = new byte[Stride * 24];
        int kind = random.Next(3);
        for (int y = 0; y < 24; y++)
            for (int x = 0; x < Stride; x++)
            {
                int smooth = 100 + (x + y) * random.Next(0, 3) + (x >= 16 ? random.Next(0, 30) : 0);
                plane[y * Stride + x] = (byte)Math.Clamp(kind switch { 0 => smooth + random.Next(-3, 4), 1 => random.Next(256), _ => smooth }, 0, 255);
            }
        return plane;
    }

    [SkippableFact]
    public void Vector_filters_equal_scalar_filters()
    {
        Skip.IfNot(Vp8DeblockingFilterVector.IsSupported, "no SSE2 on this machine");
        var random = new Random(5);
        for (int i = 0; i < 6000; i++)
        {
            byte[] scalar = RandomPlane(random), vector = (byte[])scalar.Clone();
            int threshold = random.Next(3, 194), interior = random.Next(1, 64), hev = random.Next(0, 3);
            int count = random.Next(2) == 0 ? 8 : 16;
            bool macroblock = random.Next(2) == 0;
            int at = 4 * Stride + 16 + random.Next(-4, 5);
            switch (i % 4)
            {
                case 0:
                    Vp8DeblockingFilter.SimpleHorizontal(scalar, at, Stride, threshold);
                    Vp8DeblockingFilterVector.SimpleHorizontal(vector, at, Stride, threshold);
                    break;
                case 1:
                    Vp8DeblockingFilter.SimpleVertical(scalar, at, Stride, threshold);
                    Vp8DeblockingFilterVector.SimpleVertical(vector, at, Stride, threshold);
                    break;
                case 2:
                    Vp8DeblockingFilter.HorizontalEdge(scalar, at, Stride, count, macroblock, threshold, interior, hev);
                    Vp8DeblockingFilterVector.HorizontalEdge(vector, at, Stride, count, macroblock, threshold, interior, hev);
                    break;
                default:
                    Vp8DeblockingFilter.VerticalEdge(scalar, at, Stride, count, macroblock, threshold, interior, hev);
                    Vp8DeblockingFilterVector.VerticalEdge(vector, at, Stride, count, macroblock, threshold, interior, hev);
                    break;
            }
            Assert.Equal(scalar, vector);
        }
    }

    [SkippableFact]
    public void Vector_filters_refuse_edges_outside_the_plane()
    {
        Skip.IfNot(Vp8DeblockingFilterVector.IsSupported, "no SSE2 on this machine");
        var plane = new byte[Stride * 8];
        Assert.Throws<ArgumentOutOfRangeException>(() => Vp8DeblockingFilterVector.VerticalEdge(plane, 2 * Stride, Stride, 16, true, 10, 5, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Vp8DeblockingFilterVector.HorizontalEdge(plane, 2, Stride, 8, true, 10, 5, 1));
    }
}
