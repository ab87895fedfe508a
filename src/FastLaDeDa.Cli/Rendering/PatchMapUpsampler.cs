using FastLaDeDa.Models;

namespace FastLaDeDa.Cli.Rendering;

/// <summary>
/// Bilinear upsampling of a patch map onto the pixels of the image it was computed from. Each
/// cell sits at the centre of its receptive field: cell i covers input pixels
/// [Stride·i, Stride·i + ReceptiveField), centred on pixel Stride·i + (ReceptiveField − 1)/2
/// (2i + 3 for Tiny-LaDeDa). Between centres the logits are interpolated linearly; outside the
/// outermost centres they are held constant.
/// </summary>
internal static class PatchMapUpsampler
{
    /// <summary>
    /// The map resampled to <paramref name="outputWidth"/> × <paramref name="outputHeight"/> values
    /// ([row, column]) spanning an input image of <paramref name="imageWidth"/> × <paramref name="imageHeight"/>
    /// pixels — the image's own size, or a smaller display size covering the same image.
    /// </summary>
    public static double[,] Upsample(PatchMap map, int imageWidth, int imageHeight, int outputWidth, int outputHeight)
    {
        ArgumentNullException.ThrowIfNull(map);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(imageWidth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(imageHeight);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputWidth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputHeight);

        var columns = Taps(map.Width, map.Stride, map.ReceptiveField, imageWidth, outputWidth);
        var rows = Taps(map.Height, map.Stride, map.ReceptiveField, imageHeight, outputHeight);
        var result = new double[outputHeight, outputWidth];
        for (int v = 0; v < outputHeight; v++)
        {
            var (r0, r1, fy) = rows[v];
            for (int u = 0; u < outputWidth; u++)
            {
                var (c0, c1, fx) = columns[u];
                double top = Lerp(map[r0, c0], map[r0, c1], fx);
                double bottom = Lerp(map[r1, c0], map[r1, c1], fx);
                result[v, u] = Lerp(top, bottom, fy);
            }
        }
        return result;
    }

    /// <summary>For each output sample along one axis: the two neighbouring cells and the weight of the second.</summary>
    private static (int Lower, int Upper, double Weight)[] Taps(int cells, int stride, int receptiveField, int imageSize, int outputSize)
    {
        var taps = new (int, int, double)[outputSize];
        double scale = (double)imageSize / outputSize;
        double firstCentre = receptiveField / 2.0; // continuous coordinate of cell 0's centre (pixel 3 spans [3, 4))
        for (int u = 0; u < outputSize; u++)
        {
            double x = (u + 0.5) * scale;                                // centre of output sample u, in input pixels
            double t = Math.Clamp((x - firstCentre) / stride, 0, cells - 1); // fractional cell index
            int lower = (int)Math.Floor(t);
            int upper = Math.Min(lower + 1, cells - 1);
            taps[u] = (lower, upper, t - lower);
        }
        return taps;
    }

    private static double Lerp(double a, double b, double t) => a + (b - a) * t;
}
