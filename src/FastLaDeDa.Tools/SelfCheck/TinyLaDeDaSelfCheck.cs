using FastLaDeDa.Imaging;
using FastLaDeDa.Models;
using FastLaDeDa.Preprocessing;
using FastLaDeDa.Weights;

namespace FastLaDeDa.Engines;

/// <summary>The outcome of <see cref="TinyLaDeDaSelfCheck.Run"/>.</summary>
/// <param name="EngineName">The engine checked.</param>
/// <param name="Cases">How many (preprocessing, image size) cases were compared.</param>
/// <param name="WorstRelativeError">Largest |engine − reference| over a map, divided by the map's largest |logit|.</param>
internal sealed record TinyLaDeDaSelfCheckReport(string EngineName, int Cases, double WorstRelativeError)
{
    /// <summary>The tolerance the check applies.</summary>
    public const double Tolerance = 1e-5;

    /// <summary>True when every case is within <see cref="Tolerance"/>.</summary>
    public bool Passed => WorstRelativeError <= Tolerance;
}

/// <summary>
/// Checks an engine against the float64 reference on this machine, with the runtime's current
/// instruction-set settings: a random Tiny-LaDeDa with non-trivial BatchNorm statistics, every
/// preprocessing, and random images whose widths cover every remainder of the 16- and 32-pixel
/// vector steps. Used by <c>fastladeda selftest</c> and the test suite.
/// </summary>
internal static class TinyLaDeDaSelfCheck
{
    /// <summary>Runs the check (about a second for a fused engine).</summary>
    public static TinyLaDeDaSelfCheckReport Run(ITinyLaDeDaEngine engine, int seed = 1)
    {
        ArgumentNullException.ThrowIfNull(engine);
        var model = TinyLaDeDaModel.FromStateDict(RandomModel(seed));
        var rng = new Random(seed);
        double worst = 0;
        int cases = 0;
        foreach (PreprocessKind kind in Enum.GetValues<PreprocessKind>())
        {
            var reference = TinyLaDeDaEngines.Reference.Prepare(model, kind);
            var network = engine.Prepare(model, kind);
            for (int width = 32; width < 64; width++)
            {
                int height = 5 + rng.Next(12);
                var pixels = new byte[width * height * 3];
                rng.NextBytes(pixels);
                var image = new Rgb24Image(width, height, pixels);
                float[] expected = reference.RunMap(image).Logits, actual = network.RunMap(image).Logits;
                double scale = 1e-3, error = 0;
                for (int i = 0; i < expected.Length; i++)
                {
                    scale = Math.Max(scale, Math.Abs(expected[i]));
                    error = Math.Max(error, Math.Abs((double)expected[i] - actual[i]));
                }
                worst = Math.Max(worst, error / scale);
                cases++;
            }
        }
        return new TinyLaDeDaSelfCheckReport(engine.Name, cases, worst);
    }

    private static StateDict RandomModel(int seed)
    {
        var rng = new Random(seed);
        var tensors = new Dictionary<string, TensorData>();
        foreach (var spec in TinyLaDeDaModel.Spec.Where(s => s.Required))
        {
            var values = new float[spec.Shape.Aggregate(1, (a, b) => a * b)];
            bool isVariance = spec.Name.EndsWith("running_var", StringComparison.Ordinal);
            bool isGamma = spec.Name.Contains("bn", StringComparison.Ordinal) && spec.Name.EndsWith(".weight", StringComparison.Ordinal);
            for (int i = 0; i < values.Length; i++)
                values[i] = isVariance ? 0.2f + 2f * rng.NextSingle() : isGamma ? 0.5f + rng.NextSingle() : 1.2f * rng.NextSingle() - 0.6f;
            tensors[spec.Name] = TensorData.FromFloat32(values, spec.Shape);
        }
        return new StateDict(tensors);
    }
}
