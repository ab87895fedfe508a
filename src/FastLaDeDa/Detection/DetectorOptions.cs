using FastLaDeDa.Imaging;
using FastLaDeDa.Models;
using FastLaDeDa.Preprocessing;
using FastLaDeDa.Weights;

namespace FastLaDeDa.Detection;

/// <summary>How a <see cref="Detector"/> scores images. Every property has the official pipeline's default.</summary>
public sealed record DetectorOptions
{
    /// <summary>The defaults.</summary>
    public static DetectorOptions Default { get; } = new();

    /// <summary>
    /// Overrides the preprocessing named in the weights' metadata. Needed for official <c>.pth</c>
    /// files, which carry none (null: use the metadata, else the official repository's default:
    /// <see cref="PreprocessKind.RightDiag"/> for Tiny-LaDeDa, <see cref="PreprocessKind.Npr"/> for
    /// LaDeDa — the official ForenSynth LaDeDa checkpoint needs <see cref="PreprocessKind.NprTwoThirds"/>).
    /// </summary>
    public PreprocessKind? Preprocess { get; init; }

    /// <summary>Overrides the pooling named in the weights' metadata (null: metadata, else mean).</summary>
    public PoolingKind? Pooling { get; init; }

    /// <summary>
    /// The probability threshold above which an image is labelled fake (null: the weights' calibrated
    /// <c>threshold</c> metadata, else 0.5), on the probability results report:
    /// <see cref="DetectionResult.Probability"/>, at the weights' <see cref="Detector.Temperature"/>.
    /// Must lie strictly between 0 and 1.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a value not strictly between 0 and 1.</exception>
    public double? Threshold
    {
        get => _threshold;
        init
        {
            if (value is { } t) DecisionThreshold.Validate(t, nameof(Threshold));
            _threshold = value;
        }
    }

    private readonly double? _threshold;

    /// <summary>Resize every image to <see cref="InputSize"/>² first (the official protocol); false scores the native resolution.</summary>
    public bool Resize { get; init; } = true;

    /// <summary>Side of the square the image is resized to (Pillow bilinear).</summary>
    public int InputSize { get; init; } = 256;

    /// <summary>
    /// Opt-in reduced decoding: a JPEG is decoded at the smallest DCT scale (1/2, 1/4 or 1/8) that
    /// keeps both sides at least <see cref="InputSize"/>, then resized as usual. Several times faster
    /// on large photos, but the pixels — and so the scores — differ slightly from the official
    /// pipeline's (default false: exact). Applies only with <see cref="Resize"/> on; other formats
    /// decode in full.
    /// </summary>
    public bool FastDecode { get; init; }

    /// <summary>Limits checked before decoding an image.</summary>
    public ImageLimits ImageLimits { get; init; } = ImageLimits.Default;

    /// <summary>Limits checked while reading a weights file.</summary>
    public WeightsLimits WeightsLimits { get; init; } = WeightsLimits.Default;

    /// <summary>
    /// The architecture the weights must hold (null: whatever they hold — their metadata, else
    /// recognised from the tensor names).
    /// </summary>
    public ModelKind? Model { get; init; }

    /// <summary>
    /// The engine that runs the network, by name (case-insensitive; default <c>auto</c>):
    /// <list type="bullet">
    /// <item><c>auto</c>: LaDeDa on CUDA when the FastLaDeDa.Gpu package is installed and a CUDA
    /// device exists, else the widest CPU engine the hardware accelerates (the 128-bit ones on ARM64;
    /// honouring <c>DOTNET_EnableAVX512=0</c>, <c>DOTNET_EnableAVX2=0</c> and
    /// <c>DOTNET_PreferredVectorBitWidth</c>).</item>
    /// <item><c>cpu</c>: the widest CPU engine; <c>cuda</c>: LaDeDa on CUDA, an error without it
    /// (Tiny-LaDeDa has no GPU engine and runs as <c>cpu</c>).</item>
    /// <item>One engine: <c>tiny-avx512</c>, <c>tiny-avx2</c>, <c>tiny-vector128</c>, <c>tiny-scalar</c>,
    /// <c>tiny-reference</c>, <c>ladeda-avx512</c>, <c>ladeda-avx2</c>, <c>ladeda-vector128</c>, <c>ladeda-scalar</c>, <c>ladeda-reference</c>,
    /// <c>ladeda-cuda</c> — an error when the weights hold the other model.</item>
    /// </list>
    /// <see cref="Detector.EngineNames"/> lists them; the name is checked when the detector loads.
    /// </summary>
    public string Engine
    {
        get => _engine;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            _engine = value;
        }
    }

    private readonly string _engine = "auto";

    /// <summary>
    /// Threads that score one image together on LaDeDa's CPU engines (null: one per core); other
    /// engines ignore it. At least 1.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Set below 1.</exception>
    public int? ThreadsPerImage
    {
        get => _threadsPerImage;
        init
        {
            if (value is { } n) ArgumentOutOfRangeException.ThrowIfLessThan(n, 1, nameof(ThreadsPerImage));
            _threadsPerImage = value;
        }
    }

    private readonly int? _threadsPerImage;
}
