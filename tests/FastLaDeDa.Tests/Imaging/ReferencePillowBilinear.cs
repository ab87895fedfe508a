using FastLaDeDa.Imaging;

namespace FastLaDeDa.Tests.Imaging;

/// <summary>
/// A deliberately plain transcription of Pillow's bilinear resize (Resample.c), written
/// independently of <see cref="PillowResize"/>: coefficients computed inline per output pixel,
/// both passes always run over the full image, no pointers, no row trimming. It checks the
/// optimised implementation on many sizes that have no golden.
/// </summary>
internal static class ReferencePillowBilinear
{
    public static byte[] Resize(byte[] rgb, int inWidth, int inHeight, int outWidth, int outHeight)
    {
        byte[] horizontal = outWidth == inWidth ? rgb : Pass(rgb, inWidth, inHeight, outWidth, horizontal: true);
        return outHeight == inHeight ? horizontal : Pass(horizontal, outWidth, inHeight, outHeight, horizontal: false);
    }

    private static byte[] Pass(byte[] rgb, int width, int height, int outSize, bool horizontal)
    {
        int inSize = horizontal ? width : height;
        int outWidth = horizontal ? outSize : width, outHeight = horizontal ? height : outSize;
        var result = new byte[outWidth * outHeight * 3];
        double scale = (double)inSize / outSize;
        double filterScale = Math.Max(scale, 1.0);
        double support = filterScale;
        for (int o = 0; o < outSize; o++)
        {
            double center = (o + 0.5) * scale;
            int xmin = Math.Max((int)(center - support + 0.5), 0);
            int xmax = Math.Min((int)(center + support + 0.5), inSize) - xmin;
            var w = new double[xmax];
            double sum = 0;
            for (int x = 0; x < xmax; x++)
            {
                double d = Math.Abs((x + xmin - center + 0.5) * (1.0 / filterScale));
                w[x] = d < 1 ? 1 - d : 0;
                sum += w[x];
            }
            var k = new int[xmax];
            for (int x = 0; x < xmax; x++)
            {
                double n = sum != 0 ? w[x] / sum : w[x];
                k[x] = (int)(n < 0 ? n * (1 << 22) - 0.5 : n * (1 << 22) + 0.5);
            }
            int lines = horizontal ? height : width;
            for (int line = 0; line < lines; line++)
            {
                for (int c = 0; c < 3; c++)
                {
                    int acc = 1 << 21;
                    for (int x = 0; x < xmax; x++)
                    {
                        int src = horizontal ? (line * width + xmin + x) * 3 + c : ((xmin + x) * width + line) * 3 + c;
                        acc += rgb[src] * k[x];
                    }
                    int dst = horizontal ? (line * outWidth + o) * 3 + c : (o * outWidth + line) * 3 + c;
                    result[dst] = (byte)Math.Clamp(acc >> 22, 0, 255);
                }
            }
        }
        return result;
    }
}
