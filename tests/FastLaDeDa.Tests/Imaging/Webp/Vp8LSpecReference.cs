namespace FastLaDeDa.Tests.Imaging.Webp;

/// <summary>
/// The inverse transforms written straight from RFC 9649's text, channel by channel and without any
/// of the decoder's shortcuts, to compute the expected pixels of hand-built streams.
/// </summary>
internal static class Vp8LSpecReference
{
    private static int A(uint p) => (int)(p >> 24);
    private static int R(uint p) => (int)(p >> 16) & 0xFF;
    private static int G(uint p) => (int)(p >> 8) & 0xFF;
    private static int B(uint p) => (int)p & 0xFF;
    private static uint Argb(int a, int r, int g, int b) => ((uint)(a & 0xFF) << 24) | ((uint)(r & 0xFF) << 16) | ((uint)(g & 0xFF) << 8) | (uint)(b & 0xFF);

    private static uint Add(uint p, uint q) => Argb(A(p) + A(q), R(p) + R(q), G(p) + G(q), B(p) + B(q));

    private static uint Average2(uint p, uint q) => Argb((A(p) + A(q)) / 2, (R(p) + R(q)) / 2, (G(p) + G(q)) / 2, (B(p) + B(q)) / 2);

    private static int Clamp(int v) => v < 0 ? 0 : v > 255 ? 255 : v;

    /// <summary>§4.1 Select: the neighbour (L or T) whose channels are closer to L + T − TL.</summary>
    private static uint Select(uint l, uint t, uint tl)
    {
        int estimate(Func<uint, int> c) => c(l) + c(t) - c(tl);
        Func<uint, int>[] channels = [A, R, G, B];
        int pL = channels.Sum(c => Math.Abs(estimate(c) - c(l)));
        int pT = channels.Sum(c => Math.Abs(estimate(c) - c(t)));
        return pL < pT ? l : t;
    }

    private static uint ClampAddSubtractFull(uint a, uint b, uint c) =>
        Argb(Clamp(A(a) + A(b) - A(c)), Clamp(R(a) + R(b) - R(c)), Clamp(G(a) + G(b) - G(c)), Clamp(B(a) + B(b) - B(c)));

    private static uint ClampAddSubtractHalf(uint a, uint b)
    {
        int half(int x, int y) => Clamp(x + (x - y) / 2);
        return Argb(half(A(a), A(b)), half(R(a), R(b)), half(G(a), G(b)), half(B(a), B(b)));
    }

    /// <summary>The prediction of §4.1 for one mode from the L, T, TR and TL neighbours.</summary>
    public static uint Predict(int mode, uint l, uint t, uint tr, uint tl) => mode switch
    {
        0 => 0xFF000000,
        1 => l,
        2 => t,
        3 => tr,
        4 => tl,
        5 => Average2(Average2(l, tr), t),
        6 => Average2(l, tl),
        7 => Average2(l, t),
        8 => Average2(tl, t),
        9 => Average2(t, tr),
        10 => Average2(Average2(l, tl), Average2(t, tr)),
        11 => Select(l, t, tl),
        12 => ClampAddSubtractFull(l, t, tl),
        13 => ClampAddSubtractHalf(Average2(l, t), tl),
        _ => 0xFF000000, // 14 and 15: libwebp predicts black
    };

    /// <summary>§4.1 inverse prediction with per-tile modes (green of each tile pixel) and tile size 2^bits.</summary>
    public static uint[] InversePredictor(uint[] residuals, int width, int height, int bits, uint[] tiles)
    {
        var pixels = new uint[residuals.Length];
        int tilesPerRow = (width + (1 << bits) - 1) >> bits;
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                uint prediction;
                if (x == 0 && y == 0) prediction = 0xFF000000;
                else if (y == 0) prediction = pixels[x - 1];
                else if (x == 0) prediction = pixels[(y - 1) * width];
                else
                {
                    int mode = G(tiles[(y >> bits) * tilesPerRow + (x >> bits)]) & 0xF;
                    uint l = pixels[y * width + x - 1], t = pixels[(y - 1) * width + x], tl = pixels[(y - 1) * width + x - 1];
                    // The rightmost pixel's top-right is the leftmost pixel of the current row.
                    uint tr = x == width - 1 ? pixels[y * width] : pixels[(y - 1) * width + x + 1];
                    prediction = Predict(mode, l, t, tr, tl);
                }
                pixels[y * width + x] = Add(residuals[y * width + x], prediction);
            }
        }
        return pixels;
    }

    /// <summary>§4.2 inverse color transform with per-tile multipliers (red_to_blue, green_to_blue, green_to_red in R, G, B).</summary>
    public static uint[] InverseCrossColor(uint[] input, int width, int height, int bits, uint[] tiles)
    {
        int tilesPerRow = (width + (1 << bits) - 1) >> bits;
        int delta(int t, int c) => ((sbyte)t * (sbyte)c) >> 5;
        var output = new uint[input.Length];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                uint element = tiles[(y >> bits) * tilesPerRow + (x >> bits)];
                int greenToRed = B(element), greenToBlue = G(element), redToBlue = R(element);
                uint p = input[y * width + x];
                int red = (R(p) + delta(greenToRed, G(p))) & 0xFF;
                int blue = (B(p) + delta(greenToBlue, G(p)) + delta(redToBlue, red)) & 0xFF;
                output[y * width + x] = Argb(A(p), red, G(p), blue);
            }
        }
        return output;
    }

    /// <summary>§4.3 add the green back to red and blue.</summary>
    public static uint[] AddGreen(uint[] input) => [.. input.Select(p => Argb(A(p), R(p) + G(p), G(p), B(p) + G(p)))];

    /// <summary>§4.4 palette look-up of packed indices (in green); indices beyond the palette give transparent black.</summary>
    public static uint[] InverseColorIndexing(uint[] packed, int width, int height, uint[] palette)
    {
        int bits = palette.Length > 16 ? 0 : palette.Length > 4 ? 1 : palette.Length > 2 ? 2 : 3;
        int packedWidth = (width + (1 << bits) - 1) >> bits;
        int bitsPerIndex = 8 >> bits;
        var output = new uint[width * height];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                int byteValue = G(packed[y * packedWidth + (x >> bits)]);
                int index = (byteValue >> ((x & ((1 << bits) - 1)) * bitsPerIndex)) & ((1 << bitsPerIndex) - 1);
                output[y * width + x] = index < palette.Length ? palette[index] : 0;
            }
        }
        return output;
    }

    /// <summary>A palette as the stream codes it: each entry the difference from the previous one.</summary>
    public static uint[] DeltaCodePalette(uint[] palette) =>
        [.. palette.Select((p, i) => i == 0 ? p : Argb(A(p) - A(palette[i - 1]), R(p) - R(palette[i - 1]), G(p) - G(palette[i - 1]), B(p) - B(palette[i - 1])))];

    /// <summary>The residuals that <see cref="InversePredictor"/> turns into <paramref name="pixels"/> (forward prediction).</summary>
    public static uint[] ForwardPredictor(uint[] pixels, int width, int height, int bits, uint[] tiles)
    {
        // Predictions only depend on already decoded pixels, i.e. on the original ones.
        var residuals = new uint[pixels.Length];
        int tilesPerRow = (width + (1 << bits) - 1) >> bits;
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                uint prediction;
                if (x == 0 && y == 0) prediction = 0xFF000000;
                else if (y == 0) prediction = pixels[x - 1];
                else if (x == 0) prediction = pixels[(y - 1) * width];
                else
                {
                    int mode = G(tiles[(y >> bits) * tilesPerRow + (x >> bits)]) & 0xF;
                    uint tr = x == width - 1 ? pixels[y * width] : pixels[(y - 1) * width + x + 1];
                    prediction = Predict(mode, pixels[y * width + x - 1], pixels[(y - 1) * width + x], tr, pixels[(y - 1) * width + x - 1]);
                }
                uint p = pixels[y * width + x];
                residuals[y * width + x] = Argb(A(p) - A(prediction), R(p) - R(prediction), G(p) - G(prediction), B(p) - B(prediction));
            }
        }
        return residuals;
    }
}
