using System.Buffers;
using System.Diagnostics;
using FastLaDeDa.Detection;
using FastLaDeDa.Imaging;

namespace FastLaDeDa.Cli.Serving;

/// <summary>
/// Scores encoded images in two timed stages, decode then network, through the same calls
/// <see cref="Detector.Score(ReadOnlySpan{byte}, bool, string?)"/> makes in one (the decode streams
/// through the resize into a model-sized buffer, which the network then scores as it is), so the
/// results are bit for bit those of <c>detect</c>.
/// </summary>
internal sealed class StagedScorer(Detector detector)
{
    /// <summary>Decodes and scores <paramref name="encoded"/>; the time of each stage comes back in <paramref name="decode"/> and <paramref name="score"/>.</summary>
    /// <exception cref="Errors.FastLaDeDaException">The image cannot be decoded or scored (as for <see cref="Detector.Score(ReadOnlySpan{byte}, bool, string?)"/>).</exception>
    public DetectionResult Score(ReadOnlySpan<byte> encoded, string name, bool includePatchMap, out TimeSpan decode, out TimeSpan score)
    {
        DetectorOptions options = detector.Options;
        long start = Stopwatch.GetTimestamp();
        if (!options.Resize)
        {
            Rgb24Image image = ImageDecoder.Decode(encoded, name, options.ImageLimits);
            decode = Stopwatch.GetElapsedTime(start);
            start = Stopwatch.GetTimestamp();
            DetectionResult native = detector.Score(image, includePatchMap);
            score = Stopwatch.GetElapsedTime(start);
            return native;
        }
        int size = options.InputSize;
        byte[] pixels = ArrayPool<byte>.Shared.Rent(size * size * 3);
        try
        {
            ImageDecoder.DecodeResized(encoded, name, options.ImageLimits, size, size, pixels, options.FastDecode);
            decode = Stopwatch.GetElapsedTime(start);
            start = Stopwatch.GetTimestamp();
            // Already the model's size: scored as it is, no second resize.
            DetectionResult resized = detector.Score(pixels.AsSpan(0, size * size * 3), size, size, size * 3, PixelFormat.Rgb24, includePatchMap);
            score = Stopwatch.GetElapsedTime(start);
            return resized;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(pixels);
        }
    }
}
