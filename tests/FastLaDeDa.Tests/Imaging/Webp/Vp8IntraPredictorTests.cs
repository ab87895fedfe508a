using FastLaDeDa.Imaging.Formats.Webp;

namespace FastLaDeDa.Tests.Imaging.Webp;

/// <summary>
/// Intra prediction: hand-checked values at the frame borders (libwebp's 127 above, 129 left)
/// and the vector 16x16 / 8x8 paths against the per-pixel reference.
/// </summary>
public sealed class Vp8IntraPredictorTests
{
    private const int S = Vp8IntraPredictor.Stride;
    private const int Offset = S + 8;

    private static byte[] Buffer(int seed)
    {
        var buffer = Vp8TestSupport.RandomBytes(S * 18, seed);
        return buffer;
    }

    [Fact]
    public void Vector_predictions_equal_the_reference()
    {
        byte[] modes = [Vp8PredictionMode.DC, Vp8PredictionMode.TM, Vp8PredictionMode.VE, Vp8PredictionMode.HE,
            Vp8PredictionMode.DCNoTop, Vp8PredictionMode.DCNoLeft, Vp8PredictionMode.DCNoTopLeft];
        for (int seed = 0; seed < 300; seed++)
            foreach (int size in new[] { 8, 16 })
                foreach (byte mode in modes)
                {
                    byte[] reference = Buffer(seed), vector = (byte[])reference.Clone();
                    Vp8IntraPredictor.Predict(mode, reference, Offset, size, vector: false);
                    Vp8IntraPredictor.Predict(mode, vector, Offset, size, vector: true);
                    Assert.Equal(reference, vector);
                }
    }

    [Fact]
    public void True_motion_at_the_top_left_corner_follows_libwebp_borders()
    {
        // Above the frame 127 (its corner too), left of it 129: TM gives 129 + 127 - 127 = 129.
        byte[] buffer = new byte[S * 18];
        buffer.AsSpan(Offset - S - 1, 17).Fill(127);
        for (int y = 0; y < 16; y++) buffer[Offset + y * S - 1] = 129;
        Vp8IntraPredictor.Luma16(Vp8PredictionMode.TM, buffer, Offset);
        for (int y = 0; y < 16; y++) Assert.All(buffer.AsSpan(Offset + y * S, 16).ToArray(), p => Assert.Equal(129, p));
        // TM clamps: left 0, top 255, corner 10 -> 245; left 250, top 200, corner 5 -> 255.
        buffer[Offset - S - 1] = 10;
        buffer.AsSpan(Offset - S, 16).Fill(255);
        buffer[Offset - 1] = 0;
        buffer[Offset + S - 1] = 250;
        buffer[Offset - S - 1] = 5;
        Vp8IntraPredictor.Luma16(Vp8PredictionMode.TM, buffer, Offset);
        Assert.Equal(250, buffer[Offset]);
        Assert.Equal(255, buffer[Offset + S]);
    }

    [Fact]
    public void Four_by_four_modes_use_the_rfc_edge_samples()
    {
        // Left column I..L = 10, 20, 30, 40; corner X = 50; top A..H = 60, 70, ..., 130.
        byte[] buffer = new byte[S * 18];
        int[] left = [10, 20, 30, 40];
        for (int y = 0; y < 4; y++) buffer[Offset + y * S - 1] = (byte)left[y];
        buffer[Offset - S - 1] = 50;
        for (int x = 0; x < 8; x++) buffer[Offset - S + x] = (byte)(60 + 10 * x);
        byte[] Block(byte mode)
        {
            byte[] copy = (byte[])buffer.Clone();
            Vp8IntraPredictor.Luma4(mode, copy, Offset);
            return [.. Enumerable.Range(0, 16).Select(i => copy[Offset + i / 4 * S + i % 4])];
        }
        // HU: (I+J+1)/2 = 15, (I+2J+K+2)/4 = 20, ...; the bottom right is L (RFC 6386 section 12.3).
        Assert.Equal(new byte[] { 15, 20, 25, 30, 25, 30, 35, 38, 35, 38, 40, 40, 40, 40, 40, 40 }, Block(Vp8PredictionMode.HU));
        // VE: smoothed top, (X+2A+B+2)/4 = 60 then 70, 80, 90 (E = 100 enters the last).
        Assert.Equal(new byte[] { 60, 70, 80, 90, 60, 70, 80, 90, 60, 70, 80, 90, 60, 70, 80, 90 }, Block(Vp8PredictionMode.VE));
        // LD: (A+2B+C+2)/4 = 70 along anti-diagonals, the last (G+3H+2)/4 = 128.
        Assert.Equal(new byte[] { 70, 80, 90, 100, 80, 90, 100, 110, 90, 100, 110, 120, 100, 110, 120, 128 }, Block(Vp8PredictionMode.LD));
        // DC: (sum of 4 top + 4 left + 4) / 8 = (300 + 100 + 4) / 8 = 50.
        Assert.All(Block(Vp8PredictionMode.DC), p => Assert.Equal(50, p));
    }
}
