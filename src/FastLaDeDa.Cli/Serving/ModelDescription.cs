using FastLaDeDa.Detection;
using FastLaDeDa.Models;
using FastLaDeDa.Preprocessing;

namespace FastLaDeDa.Cli.Serving;

/// <summary>
/// <c>GET /v1/models</c>: the model this replica serves, as <c>detect --json</c> names its settings.
/// The weights are named by file name only: the server's paths are nobody's business.
/// </summary>
internal sealed record ModelDescription(string Name, string Engine, string Preprocess, string Pooling, double Threshold,
                                        string ThresholdSource, double Temperature, string? Weights, int InputSize, bool Resize)
{
    /// <summary>The description of <paramref name="detector"/>.</summary>
    public static ModelDescription Of(Detector detector) => new(
        ModelMetadata.ModelName(detector.Metadata.Model),
        detector.EngineName,
        PreprocessKindNames.ToName(detector.Metadata.Preprocess),
        ModelMetadata.PoolingName(detector.Metadata.Pooling),
        detector.Threshold,
        Commands.CommonOptions.SourceName(detector.ThresholdSource),
        detector.Temperature,
        detector.WeightsSource is null ? null : Path.GetFileName(detector.WeightsSource),
        detector.Options.InputSize,
        detector.Options.Resize);
}
