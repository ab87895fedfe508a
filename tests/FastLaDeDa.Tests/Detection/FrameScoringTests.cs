using FastLaDeDa.Detection;
using FastLaDeDa.Errors;
using FastLaDeDa.Imaging.Resize;
using FastLaDeDa.Imaging;
using FastLaDeDa.Tests.Support;

namespace FastLaDeDa.Tests.Detection;

/// <summary>
/// <see cref="Detector.Score(ReadOnlySpan{byte}, int, int, int, PixelFormat, bool)"/>: raw frames in
/// every layout and padded stride score exactly (==) as the same pixels in an <see cref="Rgb24Image"/>,
/// which in turn score exactly as the old path (a whole-image <see cref="PillowResize"/>, then the
/// network), and a warm call allocates nothing.
/// </summary>
public class FrameScoringTests
{
    private static readonly PixelFormat[] Formats = [PixelFormat.Rgb24, PixelFormat.Bgr24, PixelFormat.Rgba32, PixelFormat.Bgra32];

    /// <summary>The frame bytes of <paramref name="image"/> in <paramref name="format"/>, each row followed by <paramref name="padding"/> garbage bytes; alpha is garbage too.</summary>
    internal static byte[] Frame(Rgb24Image image, PixelFormat format, int padding, int seed, out int stride)
    {
        int bpp = format is PixelFormat.Rgba32 or PixelFormat.Bgra32 ? 4 : 3;
        bool bgr = format is PixelFormat.Bgr24 or PixelFormat.Bgra32;
        stride = image.Width * bpp + padding;
        var rng = new Random(seed);
        // Garbage everywhere first; the last row's padding is left off, as a tight buffer would.
        var frame = new byte[stride * (image.Height - 1) + image.Width * bpp];
        rng.NextBytes(frame);
        for (int y = 0; y < image.Height; y++)
            for (int x = 0; x < image.Width; x++)
            {
                int s = (y * image.Width + x) * 3, d = y * stride + x * bpp;
                frame[d] = image.Pixels[s + (bgr ? 2 : 0)];
                frame[d + 1] = image.Pixels[s + 1];
                frame[d + 2] = image.Pixels[s + (bgr ? 0 : 2)];
            }
        return frame;
    }

    private static void AssertSame(DetectionResult expected, DetectionResult actual, string what)
    {
        Assert.True(expected.Logit == actual.Logit, $"{what}: logit {actual.Logit:R} != {expected.Logit:R}");
        if (expected.PatchMap is null) return;
        Assert.NotNull(actual.PatchMap);
        Assert.Equal((expected.PatchMap.Width, expected.PatchMap.Height), (actual.PatchMap!.Width, actual.PatchMap.Height));
        Assert.True(expected.PatchMap.Logits.AsSpan().SequenceEqual(actual.PatchMap.Logits), $"{what}: patch maps differ");
    }

    /// <summary>Every format, widths 1..70 at a few heights, padding 1..7 bytes: frame == Rgb24Image == old whole-image resize, logits and patch maps.</summary>
    [Theory]
    [InlineData(256, 1, 11)]
    [InlineData(256, 33, 12)]
    [InlineData(40, 9, 13)]
    [InlineData(40, 70, 14)]
    public void Resized_frames_score_exactly_as_the_same_Rgb24Image(int inputSize, int height, int seed)
    {
        using var detector = Detector.FromStateDict(RandomTiny.StateDict(seed), new DetectorOptions { InputSize = inputSize });
        for (int width = 1; width <= 70; width++)
        {
            Rgb24Image image = RandomImages.Rgb(width, height, seed * 1000 + width);
            DetectionResult expected = detector.Score(image, includePatchMap: true);
            // The old path: the whole image resized into a new one (which the network then scores as is).
            AssertSame(detector.Score(PillowResize.Bilinear(image, inputSize, inputSize), includePatchMap: true), expected, $"Rgb24Image {width}x{height}");
            foreach (PixelFormat format in Formats)
            {
                int padding = 1 + width % 7;
                byte[] frame = Frame(image, format, padding, width, out int stride);
                AssertSame(expected, detector.Score(frame, width, height, stride, format, includePatchMap: true), $"{format} {width}x{height} stride {stride}");
                byte[] tight = Frame(image, format, 0, width, out int tightStride);
                AssertSame(expected, detector.Score(tight, width, height, tightStride, format, includePatchMap: true), $"{format} {width}x{height} tight");
            }
        }
    }

    /// <summary>Resizing off: the frame is scored at its own size (at least the 7×7 receptive field).</summary>
    [Theory]
    [InlineData(7, 21)]
    [InlineData(12, 22)]
    public void Native_size_frames_score_exactly_as_the_same_Rgb24Image(int height, int seed)
    {
        using var detector = Detector.FromStateDict(RandomTiny.StateDict(seed), new DetectorOptions { Resize = false });
        for (int width = 7; width <= 70; width++)
        {
            Rgb24Image image = RandomImages.Rgb(width, height, seed * 1000 + width);
            DetectionResult expected = detector.Score(image, includePatchMap: true);
            foreach (PixelFormat format in Formats)
            {
                byte[] frame = Frame(image, format, 1 + width % 7, width, out int stride);
                AssertSame(expected, detector.Score(frame, width, height, stride, format, includePatchMap: true), $"{format} {width}x{height} stride {stride}");
            }
        }
    }

    /// <summary>The shipped weights and LaDeDa (another engine and map stride) on larger frames, both pooling modes' inputs alike.</summary>
    [Fact]
    public void Default_weights_and_LaDeDa_score_frames_exactly_as_Rgb24Images()
    {
        using var tiny = Detector.LoadDefault();
        using var ladeda = Detector.FromStateDict(RandomLaDeDa.StateDict(5));
        foreach (var (width, height) in new[] { (640, 360), (257, 255), (256, 256), (97, 301) })
        {
            Rgb24Image image = RandomImages.Rgb(width, height, width + height);
            foreach (Detector detector in new[] { tiny, ladeda })
            {
                DetectionResult expected = detector.Score(PillowResize.Bilinear(image, 256, 256), includePatchMap: true);
                AssertSame(expected, detector.Score(image, includePatchMap: true), $"{detector.Metadata.Model} Rgb24Image {width}x{height}");
                foreach (PixelFormat format in Formats)
                {
                    byte[] frame = Frame(image, format, 5, width, out int stride);
                    AssertSame(expected, detector.Score(frame, width, height, stride, format, includePatchMap: true), $"{detector.Metadata.Model} {format} {width}x{height}");
                }
            }
        }
    }

    /// <summary>The row conversion's byte shuffle against its scalar loop, every width 0..70, into exact-length rows.</summary>
    [Fact]
    public void Row_conversion_vector_and_scalar_paths_agree()
    {
        foreach (PixelFormat format in Formats)
            for (int width = 0; width <= 70; width++)
            {
                int bpp = PixelRowConverter.BytesPerPixel(format);
                var source = new byte[width * bpp];
                new Random(width).NextBytes(source);
                byte[] vector = new byte[width * 3], scalar = new byte[width * 3];
                PixelRowConverter.ToRgb(source, format, width, vector, vectorized: PixelRowConverter.IsVectorized);
                PixelRowConverter.ToRgb(source, format, width, scalar, vectorized: false);
                Assert.Equal(scalar, vector);
                for (int x = 0; x < width; x++)
                {
                    bool bgr = format is PixelFormat.Bgr24 or PixelFormat.Bgra32;
                    Assert.Equal(source[x * bpp + (bgr ? 2 : 0)], scalar[x * 3]);
                    Assert.Equal(source[x * bpp + 1], scalar[x * 3 + 1]);
                    Assert.Equal(source[x * bpp + (bgr ? 0 : 2)], scalar[x * 3 + 2]);
                }
            }
    }

    [Fact]
    public void Bad_frame_arguments_throw_naming_the_parameter()
    {
        using var detector = Detector.FromStateDict(RandomTiny.StateDict(3));
        var pixels = new byte[100 * 10 * 4];
        void Expect(string parameter, Action call) => Assert.Equal(parameter, Assert.ThrowsAny<ArgumentException>(call).ParamName);
        Expect("width", () => detector.Score(pixels, 0, 10, 400, PixelFormat.Bgra32));
        Expect("width", () => detector.Score(pixels, -3, 10, 400, PixelFormat.Bgra32));
        Expect("height", () => detector.Score(pixels, 100, 0, 400, PixelFormat.Bgra32));
        Expect("height", () => detector.Score(pixels, 100, -1, 400, PixelFormat.Bgra32));
        Expect("stride", () => detector.Score(pixels, 100, 10, 399, PixelFormat.Bgra32));
        Expect("stride", () => detector.Score(pixels, 100, 10, 299, PixelFormat.Rgb24));
        Expect("stride", () => detector.Score(pixels, 100, 10, -400, PixelFormat.Bgra32));
        Expect("pixels", () => detector.Score(pixels, 100, 10, 401, PixelFormat.Bgra32));
        Expect("pixels", () => detector.Score(pixels.AsSpan(1), 100, 10, 400, PixelFormat.Bgra32));
        Expect("pixels", () => detector.Score(ReadOnlySpan<byte>.Empty, 1, 1, 3, PixelFormat.Rgb24));
        Expect("format", () => detector.Score(pixels, 100, 10, 400, (PixelFormat)17));
        // The exact minimum: the last row without its padding.
        detector.Score(new byte[401 * 9 + 400], 100, 10, 401, PixelFormat.Bgra32);
    }

    [Fact]
    public void Frames_over_the_image_limits_or_below_the_receptive_field_are_refused()
    {
        var limits = new ImageLimits { MaxDimension = 100, MaxPixels = 50 * 50 };
        using var detector = Detector.FromStateDict(RandomTiny.StateDict(4), new DetectorOptions { ImageLimits = limits });
        var pixels = new byte[101 * 60 * 3];
        Assert.Throws<ImageLimitExceededException>(() => detector.Score(pixels, 101, 10, 303, PixelFormat.Rgb24));
        Assert.Throws<ImageLimitExceededException>(() => detector.Score(pixels, 10, 101, 30, PixelFormat.Rgb24));
        Assert.Throws<ImageLimitExceededException>(() => detector.Score(pixels, 60, 60, 180, PixelFormat.Rgb24));
        detector.Score(pixels, 50, 50, 150, PixelFormat.Rgb24);

        using var native = Detector.FromStateDict(RandomTiny.StateDict(4), new DetectorOptions { Resize = false });
        var ex = Assert.Throws<ImageTooSmallException>(() => native.Score(pixels, 6, 40, 18, PixelFormat.Rgb24));
        Assert.Contains("6x40", ex.Message);
    }

    /// <summary>
    /// A warm call allocates nothing (GC.GetAllocatedBytesForCurrentThread, not a timing): a 1280×720
    /// frame in each format, resized and at native size, and <see cref="Detector.Score(Rgb24Image, bool)"/>.
    /// Six warm rounds; each call may allocate in at most half of them: ArrayPool.Shared empties its
    /// per-thread caches on a gen-2 GC under memory pressure (seen in CI with every test class
    /// running in parallel: a call re-rented a 248-byte scratch array, once in two consecutive
    /// rounds in a full CI run), which a steady state with no allocation of its own
    /// survives but a per-call allocation — non-zero in every round — does not.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Warm_frame_scoring_allocates_nothing(bool resize)
    {
        using var detector = Detector.LoadDefault(new DetectorOptions { Resize = resize });
        Rgb24Image image = RandomImages.Rgb(1280, 720, 99);
        var frames = Formats.Select(f => (f, Frame(image, f, 3, 1, out int stride), stride)).ToArray();
        const int warmUp = 2, warmRounds = 6;
        var bytesPerCall = new Dictionary<string, List<long>>();
        void Record(string call, long bytes) =>
            (bytesPerCall.TryGetValue(call, out var list) ? list : bytesPerCall[call] = []).Add(bytes);
        for (int round = 0; round < warmUp + warmRounds; round++)
        {
            foreach (var (format, frame, stride) in frames)
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                detector.Score(frame, 1280, 720, stride, format);
                long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
                if (round >= warmUp) Record(format.ToString(), bytes);
            }
            long beforeImage = GC.GetAllocatedBytesForCurrentThread();
            detector.Score(image);
            long imageBytes = GC.GetAllocatedBytesForCurrentThread() - beforeImage;
            if (round >= warmUp) Record("Rgb24Image", imageBytes);
        }
        string report = string.Join("; ", bytesPerCall.Select(kv => $"{kv.Key}: {string.Join(" ", kv.Value)}"));
        Assert.True(bytesPerCall.Values.All(rounds => rounds.Count(b => b != 0) <= warmRounds / 2), "bytes allocated by warm calls: " + report);
    }
}
