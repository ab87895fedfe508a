using System.Buffers;
using System.Diagnostics;
using FastLaDeDa.Engines;
using FastLaDeDa.Errors;
using FastLaDeDa.Imaging;
using FastLaDeDa.Models;
using FastLaDeDa.Preprocessing;
using FastLaDeDa.Weights;

namespace FastLaDeDa.Detection;

/// <summary>
/// Scores images as real or AI-generated with a loaded model. Immutable after loading and safe to
/// share between threads. Dispose it when done (engines may hold native or GPU resources).
/// </summary>
/// <example>
/// <code>
/// using var detector = Detector.Load("tiny-ladeda.safetensors");
/// DetectionResult result = detector.Score("photo.jpg");
/// Console.WriteLine($"{result.Probability:P1} {result.Label}");
/// </code>
/// </example>
public sealed partial class Detector : IDisposable
{
    /// <summary>Where the embedded default weights come from in the repository.</summary>
    internal const string DefaultWeightsFile = DefaultWeights.File;

    private readonly IPatchNetwork _network;
    private readonly DetectorOptions _options;
    private readonly DecisionThreshold _threshold;
    private volatile bool _disposed;

    private Detector(IPatchNetwork network, ModelMetadata metadata, bool preprocessAssumed, string? source, DetectorOptions options,
                     DecisionThreshold threshold, ThresholdSource thresholdSource)
    {
        _options = options;
        _network = network;
        _threshold = threshold;
        Metadata = metadata;
        PreprocessAssumed = preprocessAssumed;
        WeightsSource = source;
        ThresholdSource = thresholdSource;
    }

    /// <summary>The model, preprocessing and pooling in effect (weights metadata, then options).</summary>
    public ModelMetadata Metadata { get; }

    /// <summary>
    /// True when neither the weights nor the options named the preprocessing, so the official
    /// default was assumed (right_diag for Tiny-LaDeDa, npr for LaDeDa) — the case for official
    /// <c>.pth</c> checkpoints.
    /// </summary>
    public bool PreprocessAssumed { get; }

    /// <summary>
    /// The probability threshold every result is labelled at (fake when P(fake) is above it):
    /// <see cref="DetectorOptions.Threshold"/>, else the weights' calibrated <c>threshold</c>
    /// metadata, else 0.5.
    /// </summary>
    public double Threshold => _threshold.Probability;

    /// <summary>
    /// The temperature T of every result's probability, P(fake) = sigmoid(logit / T): the weights'
    /// <c>temperature</c> metadata (fitted on validation images by <c>fastladeda calibrate</c> or the
    /// trainer), else 1. <see cref="Threshold"/> is a threshold on that probability.
    /// </summary>
    public double Temperature => _threshold.Temperature;

    /// <summary>Where <see cref="Threshold"/> came from.</summary>
    public ThresholdSource ThresholdSource { get; }

    /// <summary>The weights file, or <c>embedded:...</c> for the default weights.</summary>
    public string? WeightsSource { get; }

    /// <summary>The options this detector was loaded with (resize, input size, limits, engine).</summary>
    public DetectorOptions Options => _options;

    /// <summary>The smallest side an image may have when scored at native resolution: the receptive field.</summary>
    public int MinimumImageSize => Math.Max(_network.MinimumInputSize, _network.ReceptiveField);

    /// <summary>The engine running the network (one of <see cref="EngineNames"/>, never a generic one such as <c>auto</c>).</summary>
    public string EngineName => _network.EngineName;

    /// <summary>
    /// The names <see cref="DetectorOptions.Engine"/> accepts: <c>auto</c>, <c>cpu</c>, <c>cuda</c>,
    /// then each engine as <c>MODEL-BACKEND</c> (<c>tiny-avx512</c> ... <c>ladeda-cuda</c>).
    /// Whether one runs here depends on the CPU, the weights and, for CUDA, FastLaDeDa.Gpu.
    /// </summary>
    public static IReadOnlyList<string> EngineNames => EngineCatalog.Names;

    /// <summary>Loads weights from a safetensors file or an official PyTorch <c>.pth</c> checkpoint.</summary>
    /// <exception cref="WeightsFormatException">The file is malformed or not a Tiny-LaDeDa or LaDeDa state dict.</exception>
    /// <exception cref="ModelMismatchException">The tensors do not match the architecture, or <see cref="DetectorOptions.Engine"/> names the other model's engine.</exception>
    /// <exception cref="ArgumentException"><see cref="DetectorOptions.Engine"/> is not an engine name (the message lists them).</exception>
    /// <exception cref="GpuUnavailableException">The engine is <c>cuda</c> or <c>ladeda-cuda</c>, the weights hold LaDeDa and CUDA is not usable.</exception>
    /// <exception cref="PlatformNotSupportedException">The engine named needs a SIMD width this CPU does not accelerate.</exception>
    public static Detector Load(string weightsPath, DetectorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(weightsPath);
        options ??= DetectorOptions.Default;
        return FromStateDict(WeightsFile.Load(weightsPath, options.WeightsLimits), options);
    }

    /// <summary>Loads the weights embedded in the library (trained by FastLaDeDa's own trainer).</summary>
    /// <exception cref="DefaultWeightsMissingException">This build has no embedded weights.</exception>
    /// <exception cref="ModelMismatchException"><see cref="DetectorOptions.Engine"/> names a LaDeDa engine (the embedded weights are Tiny-LaDeDa).</exception>
    /// <exception cref="ArgumentException"><see cref="DetectorOptions.Engine"/> is not an engine name (the message lists them).</exception>
    /// <exception cref="PlatformNotSupportedException">The engine named needs a SIMD width this CPU does not accelerate.</exception>
    public static Detector LoadDefault(DetectorOptions? options = null)
    {
        options ??= DetectorOptions.Default;
        return FromStateDict(DefaultWeights.Read(options.WeightsLimits), options);
    }

    /// <summary>
    /// Builds a detector from tensors already in memory. The architecture is the weights' metadata
    /// <c>model</c> or, without one, recognised from the tensor names (LaDeDa has <c>layer2</c> to
    /// <c>layer4</c>); <see cref="DetectorOptions.Model"/>, when set, must agree.
    /// </summary>
    /// <exception cref="ModelMismatchException">A tensor is missing, unexpected or mis-shaped (all are named), or the architecture is not the expected one.</exception>
    /// <exception cref="WeightsFormatException">A metadata value is unknown or malformed (e.g. a <c>threshold</c> outside (0, 1)).</exception>
    internal static Detector FromStateDict(StateDict dict, DetectorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(dict);
        options ??= DetectorOptions.Default;
        var (model, preprocess, pooling) = ModelMetadata.Parse(dict.Metadata, dict.SourcePath);
        double? calibrated = ModelMetadata.ParseThreshold(dict.Metadata, dict.SourcePath);
        double temperature = ModelMetadata.ParseTemperature(dict.Metadata, dict.SourcePath);
        var (threshold, thresholdSource) = options.Threshold is { } t ? (DecisionThreshold.From(t, nameof(options.Threshold), temperature), ThresholdSource.Options)
            : calibrated is { } w ? (DecisionThreshold.From(w, ModelMetadata.ThresholdKey, temperature), ThresholdSource.Weights)
            : (DecisionThreshold.From(DecisionThreshold.DefaultProbability, nameof(options.Threshold), temperature), ThresholdSource.Default);
        ModelKind kind = ModelMetadata.KindOf(dict, model);
        if (options.Model is { } expected && expected != kind)
            throw new ModelMismatchException(dict.SourcePath,
                $"expected a {ModelMetadata.ModelName(expected)} model, but the file holds {ModelMetadata.ModelName(kind)}{(model is null ? " (recognised from its tensor names)" : "")}");
        bool assumed = options.Preprocess is null && preprocess is null;
        PoolingKind pool = options.Pooling ?? pooling ?? PoolingKind.Mean;
        if (kind == ModelKind.LaDeDa)
        {
            var ladeda = LaDeDaModel.FromStateDict(dict);
            var metadata = new ModelMetadata(ModelKind.LaDeDa, options.Preprocess ?? preprocess ?? ModelMetadata.DefaultPreprocess(ModelKind.LaDeDa), pool);
            var engine = EngineCatalog.ForLaDeDa(options.Engine, options.ThreadsPerImage, dict.SourcePath);
            return new Detector(engine.Prepare(ladeda, metadata.Preprocess), metadata, assumed, dict.SourcePath, options, threshold, thresholdSource);
        }
        else
        {
            var tiny = TinyLaDeDaModel.FromStateDict(dict);
            var metadata = new ModelMetadata(ModelKind.TinyLaDeDa, options.Preprocess ?? preprocess ?? ModelMetadata.DefaultPreprocess(ModelKind.TinyLaDeDa), pool);
            var engine = EngineCatalog.ForTiny(options.Engine, dict.SourcePath);
            return new Detector(engine.Prepare(tiny, metadata.Preprocess), metadata, assumed, dict.SourcePath, options, threshold, thresholdSource);
        }
    }

    /// <summary>Decodes and scores an image file.</summary>
    /// <exception cref="ImageDecodeException">The file cannot be decoded or exceeds the limits.</exception>
    /// <exception cref="ImageTooSmallException">With <see cref="DetectorOptions.Resize"/> off, the image is smaller than the receptive field.</exception>
    public DetectionResult Score(string imagePath, bool includePatchMap = false)
    {
        ArgumentNullException.ThrowIfNull(imagePath);
        ThrowIfDisposed();
        using var file = PooledFile.Read(imagePath, _options.ImageLimits);
        return ScoreEncoded(file.Data, imagePath, includePatchMap);
    }

    /// <summary>Decodes and scores an encoded image (JPEG, PNG, ...) held in memory.</summary>
    /// <param name="encodedImage">The file's bytes.</param>
    /// <param name="includePatchMap">Also return the patch-logit map.</param>
    /// <param name="sourceName">A name for error messages (usually where the bytes came from), or null.</param>
    public DetectionResult Score(ReadOnlySpan<byte> encodedImage, bool includePatchMap = false, string? sourceName = null)
    {
        ThrowIfDisposed();
        return ScoreEncoded(encodedImage, sourceName, includePatchMap);
    }

    /// <summary>
    /// Decodes and scores. With resizing on (the official protocol) the image is decoded straight
    /// into a pooled model-sized buffer — a JPEG streams through the resize — so a large photo costs
    /// no full-resolution copy and no per-image allocation beyond the result.
    /// </summary>
    private DetectionResult ScoreEncoded(ReadOnlySpan<byte> encodedImage, string? sourceName, bool includePatchMap) =>
        ScoreEncoded(encodedImage, sourceName, includePatchMap, out _, out _);

    /// <summary>
    /// <see cref="Score(ReadOnlySpan{byte}, bool, string?)"/> with the time of each stage: decoding
    /// (with the resize) and the network (the service reports them apart).
    /// </summary>
    internal DetectionResult ScoreEncoded(ReadOnlySpan<byte> encodedImage, string? sourceName, bool includePatchMap, out TimeSpan decode, out TimeSpan network)
    {
        ThrowIfDisposed();
        long start = Stopwatch.GetTimestamp();
        if (!_options.Resize)
        {
            Rgb24Image image = ImageDecoder.Decode(encodedImage, sourceName, _options.ImageLimits);
            decode = Stopwatch.GetElapsedTime(start);
            start = Stopwatch.GetTimestamp();
            DetectionResult native = Score(image, sourceName, includePatchMap);
            network = Stopwatch.GetElapsedTime(start);
            return native;
        }
        int size = _options.InputSize;
        byte[] pixels = ArrayPool<byte>.Shared.Rent(size * size * 3);
        try
        {
            ImageDecoder.DecodeResized(encodedImage, sourceName, _options.ImageLimits, size, size, pixels, _options.FastDecode);
            decode = Stopwatch.GetElapsedTime(start);
            start = Stopwatch.GetTimestamp();
            DetectionResult resized = Run(pixels.AsSpan(0, size * size * 3), size, size, includePatchMap);
            network = Stopwatch.GetElapsedTime(start);
            return resized;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(pixels);
        }
    }

    /// <summary>Scores decoded RGB pixels.</summary>
    public DetectionResult Score(Rgb24Image image, bool includePatchMap = false) => Score(image, null, includePatchMap);

    /// <summary>
    /// Scores many decoded images on all cores (or <paramref name="maxDegreeOfParallelism"/>
    /// threads); results are in input order. Images that fail throw as <see cref="Score(Rgb24Image, bool)"/> does.
    /// </summary>
    public DetectionResult[] ScoreBatch(IReadOnlyList<Rgb24Image> images, int maxDegreeOfParallelism = -1)
    {
        ArgumentNullException.ThrowIfNull(images);
        ThrowIfDisposed();
        var results = new DetectionResult[images.Count];
        Parallel.For(0, images.Count, new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism },
            i => results[i] = Score(images[i], null, includePatchMap: false));
        return results;
    }

    private DetectionResult Score(Rgb24Image image, string? sourcePath, bool includePatchMap)
    {
        ArgumentNullException.ThrowIfNull(image);
        ThrowIfDisposed();
        return ScoreFrame(image.Pixels, image.Width, image.Height, image.Stride, PixelFormat.Rgb24, sourcePath, includePatchMap);
    }

    private DetectionResult Run(ReadOnlySpan<byte> rgb, int width, int height, bool includePatchMap)
    {
        if (!includePatchMap)
            return new DetectionResult(_network.Run(rgb, width, height, default).Get(Metadata.Pooling), null, _threshold);
        int mapWidth = _network.MapSize(width), mapHeight = _network.MapSize(height);
        var logits = new float[mapWidth * mapHeight];
        PatchPooling pooled = _network.Run(rgb, width, height, logits);
        var map = new PatchMap(mapWidth, mapHeight, logits, _network.Stride, _network.ReceptiveField);
        return new DetectionResult(pooled.Get(Metadata.Pooling), map, _threshold);
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    /// <summary>Marks the detector disposed and releases its network when that holds native or device memory (the ILGPU engine's).</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        (_network as IDisposable)?.Dispose();
    }
}
