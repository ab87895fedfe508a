using System.Globalization;
using FastLaDeDa.Errors;
using FastLaDeDa.Preprocessing;

namespace FastLaDeDa.Models;

/// <summary>
/// What a weights file must say about itself so a score can be computed the way it was trained:
/// the architecture, the preprocessing and the default pooling. Stored as strings in a
/// safetensors file's <c>__metadata__</c> under the keys <c>model</c>, <c>preprocess</c> and
/// <c>pooling</c> (and an optional calibrated <c>threshold</c>, see <see cref="Detection.Detector.Threshold"/>).
/// </summary>
public sealed record ModelMetadata(ModelKind Model, PreprocessKind Preprocess, PoolingKind Pooling)
{
    /// <summary>Metadata key naming the architecture (<c>tiny_ladeda</c> or <c>ladeda</c>).</summary>
    internal const string ModelKey = "model";

    /// <summary>Metadata key naming the preprocessing (see <see cref="PreprocessKindNames"/>).</summary>
    internal const string PreprocessKey = "preprocess";

    /// <summary>Metadata key naming the default pooling (<c>mean</c> or <c>max</c>).</summary>
    internal const string PoolingKey = "pooling";

    /// <summary>
    /// Metadata key of the calibrated decision threshold: a probability strictly between 0 and 1 as
    /// an invariant-culture decimal string (e.g. <c>0.37</c>, see <see cref="FormatNumber"/>);
    /// an image is fake when P(fake) is above it. Absent: 0.5.
    /// </summary>
    internal const string ThresholdKey = "threshold";

    /// <summary>
    /// Metadata key of the fitted temperature T &gt; 0: P(fake) = sigmoid(logit / T), so probabilities
    /// match the frequencies seen on validation (<see cref="ThresholdKey"/> is a threshold on that
    /// probability). Absent: 1, the plain sigmoid. Labels and AUC are unchanged by it.
    /// </summary>
    internal const string TemperatureKey = "temperature";

    /// <summary>The smallest <see cref="TemperatureKey"/> the metadata accepts (and a fit may give).</summary>
    internal const double MinTemperature = 0.01;

    /// <summary>The largest <see cref="TemperatureKey"/> the metadata accepts (and a fit may give).</summary>
    internal const double MaxTemperature = 100;

    /// <summary>
    /// The architecture of <paramref name="dict"/>: what its metadata declares (<paramref name="declared"/>,
    /// from <see cref="Parse"/>), else recognised from the tensor names (Tiny-LaDeDa stops at <c>layer1</c>).
    /// </summary>
    internal static ModelKind KindOf(Weights.StateDict dict, ModelKind? declared)
    {
        ArgumentNullException.ThrowIfNull(dict);
        return declared ?? (dict.Tensors.Keys.Any(name => name.StartsWith("layer2.", StringComparison.Ordinal)
                                                       || name.StartsWith("layer3.", StringComparison.Ordinal)
                                                       || name.StartsWith("layer4.", StringComparison.Ordinal))
            ? ModelKind.LaDeDa : ModelKind.TinyLaDeDa);
    }

    /// <summary>The official default preprocessing of an architecture when a file names none: npr for LaDeDa, right_diag for Tiny-LaDeDa.</summary>
    internal static PreprocessKind DefaultPreprocess(ModelKind kind) => kind == ModelKind.LaDeDa ? PreprocessKind.Npr : PreprocessKind.RightDiag;

    /// <summary>The metadata as safetensors strings.</summary>
    internal Dictionary<string, string> ToDictionary() => new()
    {
        [ModelKey] = ModelName(Model),
        [PreprocessKey] = Preprocess.ToName(),
        [PoolingKey] = PoolingName(Pooling),
    };

    /// <summary>
    /// Reads the three keys; a key that is absent yields null for that field (the caller decides
    /// the default), a key that is present but unknown throws <see cref="WeightsFormatException"/>.
    /// </summary>
    internal static (ModelKind? Model, PreprocessKind? Preprocess, PoolingKind? Pooling) Parse(
        IReadOnlyDictionary<string, string> metadata, string? sourcePath)
    {
        ModelKind? model = null;
        PreprocessKind? preprocess = null;
        PoolingKind? pooling = null;
        if (metadata.TryGetValue(ModelKey, out var m))
            model = TryParseModel(m, out var mk) ? mk
                : throw new WeightsFormatException(sourcePath, $"metadata '{ModelKey}' is '{m}', expected tiny_ladeda or ladeda");
        if (metadata.TryGetValue(PreprocessKey, out var p))
            preprocess = PreprocessKindNames.TryParse(p, out var pk) ? pk
                : throw new WeightsFormatException(sourcePath, $"metadata '{PreprocessKey}' is '{p}', expected one of {string.Join(", ", PreprocessKindNames.All)}");
        if (metadata.TryGetValue(PoolingKey, out var q))
            pooling = TryParsePooling(q, out var qk) ? qk
                : throw new WeightsFormatException(sourcePath, $"metadata '{PoolingKey}' is '{q}', expected mean or max");
        return (model, preprocess, pooling);
    }

    /// <summary>
    /// Reads <see cref="ThresholdKey"/>: null when absent; a value that is not an invariant-culture
    /// number strictly between 0 and 1 throws <see cref="WeightsFormatException"/> naming the file,
    /// the key and the value.
    /// </summary>
    internal static double? ParseThreshold(IReadOnlyDictionary<string, string> metadata, string? sourcePath)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        if (!metadata.TryGetValue(ThresholdKey, out var text)) return null;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && value > 0 && value < 1)
            return value;
        throw new WeightsFormatException(sourcePath, $"metadata '{ThresholdKey}' is '{text}', expected a probability strictly between 0 and 1 (e.g. 0.5)");
    }

    /// <summary>
    /// Reads <see cref="TemperatureKey"/>: 1 when absent; a value that is not a finite invariant-culture
    /// number in [<see cref="MinTemperature"/>, <see cref="MaxTemperature"/>] throws <see cref="WeightsFormatException"/> naming the file, the key and the value.
    /// </summary>
    internal static double ParseTemperature(IReadOnlyDictionary<string, string> metadata, string? sourcePath)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        if (!metadata.TryGetValue(TemperatureKey, out var text)) return 1;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && value >= MinTemperature && value <= MaxTemperature)
            return value;
        throw new WeightsFormatException(sourcePath, $"metadata '{TemperatureKey}' is '{text}', expected a temperature between {MinTemperature.ToString(CultureInfo.InvariantCulture)} and {MaxTemperature.ToString(CultureInfo.InvariantCulture)} (e.g. 1.5)");
    }

    /// <summary>A number (threshold, temperature) as the metadata stores it: the shortest invariant-culture decimal that round-trips.</summary>
    internal static string FormatNumber(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>The metadata name of a model kind.</summary>
    internal static string ModelName(ModelKind kind) => kind == ModelKind.TinyLaDeDa ? "tiny_ladeda" : "ladeda";

    /// <summary>The metadata name of a pooling kind.</summary>
    internal static string PoolingName(PoolingKind kind) => kind == PoolingKind.Mean ? "mean" : "max";

    /// <summary>Parses <c>tiny</c>/<c>tiny_ladeda</c>/<c>tiny-ladeda</c> or <c>ladeda</c>.</summary>
    internal static bool TryParseModel(string? text, out ModelKind kind)
    {
        switch ((text ?? "").Trim().ToLowerInvariant().Replace('-', '_'))
        {
            case "tiny" or "tiny_ladeda" or "tinyladeda": kind = ModelKind.TinyLaDeDa; return true;
            case "ladeda" or "ladeda9": kind = ModelKind.LaDeDa; return true;
            default: kind = default; return false;
        }
    }

    /// <summary>Parses <c>mean</c> or <c>max</c>.</summary>
    internal static bool TryParsePooling(string? text, out PoolingKind kind)
    {
        switch ((text ?? "").Trim().ToLowerInvariant())
        {
            case "mean": kind = PoolingKind.Mean; return true;
            case "max": kind = PoolingKind.Max; return true;
            default: kind = default; return false;
        }
    }
}
