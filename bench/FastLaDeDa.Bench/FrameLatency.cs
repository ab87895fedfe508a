using BenchmarkDotNet.Attributes;
using FastLaDeDa.Detection;
using FastLaDeDa.Imaging.Resize;
using FastLaDeDa.Imaging;

namespace FastLaDeDa.Bench;

/// <summary>
/// The <c>frames</c> suite: one 1920×1080 video frame scored by the embedded Tiny-LaDeDa, one
/// thread. Before: the frame as an <see cref="Rgb24Image"/> resized into a new image
/// (<see cref="PillowResize.Bilinear(Rgb24Image, int, int)"/>) and scored, as <c>Score(Rgb24Image)</c>
/// did until issue 14. Now: <c>Score(Rgb24Image)</c>, and the raw-frame call on BGRA32 and RGB24
/// bytes with padded rows — pooled buffers and a cached resize plan, so 0 B once warm.
/// </summary>
[MemoryDiagnoser]
[BenchmarkCategory("frames")]
public class FrameLatency
{
    private const int Width = 1920, Height = 1080;
    private Detector _detector = null!;
    private Rgb24Image _image = null!;
    private byte[] _bgra = null!, _rgb = null!;
    private byte[] _row = null!;
    private int _bgraStride, _rgbStride;

    [GlobalSetup]
    public void Setup()
    {
        _detector = Detector.LoadDefault();
        _image = BenchInputs.Image(Width, Height);
        (_bgra, _bgraStride) = Frame(PixelFormat.Bgra32, 4);
        (_rgb, _rgbStride) = Frame(PixelFormat.Rgb24, 3);
        _row = new byte[Width * 3];
    }

    /// <summary>The image's pixels in <paramref name="format"/>, each row followed by 32 bytes of padding (as video APIs may hand them out).</summary>
    private (byte[] Frame, int Stride) Frame(PixelFormat format, int bpp)
    {
        int stride = Width * bpp + 32;
        var frame = new byte[stride * Height];
        for (int y = 0; y < Height; y++)
            for (int x = 0; x < Width; x++)
            {
                int s = (y * Width + x) * 3, d = y * stride + x * bpp;
                bool bgr = format == PixelFormat.Bgra32;
                frame[d] = _image.Pixels[s + (bgr ? 2 : 0)];
                frame[d + 1] = _image.Pixels[s + 1];
                frame[d + 2] = _image.Pixels[s + (bgr ? 0 : 2)];
                if (bpp == 4) frame[d + 3] = 255;
            }
        return (frame, stride);
    }

    [GlobalCleanup]
    public void Cleanup() => _detector.Dispose();

    [Benchmark(Baseline = true, Description = "before: PillowResize.Bilinear + Score (new image per call)")]
    public double ResizedImageThenScore() => _detector.Score(PillowResize.Bilinear(_image, 256, 256)).Logit;

    [Benchmark(Description = "Score(Rgb24Image)")]
    public double ScoreRgb24Image() => _detector.Score(_image).Logit;

    [Benchmark(Description = "Score(pixels, Bgra32), padded rows")]
    public double ScoreBgra32Frame() => _detector.Score(_bgra, Width, Height, _bgraStride, PixelFormat.Bgra32).Logit;

    [Benchmark(Description = "Score(pixels, Rgb24), padded rows")]
    public double ScoreRgb24Frame() => _detector.Score(_rgb, Width, Height, _rgbStride, PixelFormat.Rgb24).Logit;

    [Benchmark(Description = "BGRA32 -> RGB conversion alone, every row")]
    public int ConvertBgra32Rows()
    {
        for (int y = 0; y < Height; y++)
            PixelRowConverter.ToRgb(_bgra.AsSpan(y * _bgraStride), PixelFormat.Bgra32, Width, _row);
        return _row[0];
    }
}
