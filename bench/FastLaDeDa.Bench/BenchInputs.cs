using FastLaDeDa.Imaging;
using FastLaDeDa.Models;
using FastLaDeDa.Weights;

namespace FastLaDeDa.Bench;

/// <summary>
/// Deterministic benchmark inputs that need nothing outside the repository: a Tiny-LaDeDa with
/// random weights (speed does not depend on weight values) and random RGB images.
/// </summary>
public static class BenchInputs
{
    /// <summary>Multiply-adds the fused engine executes for one 256×256 image: stem (conv1 fused, 3→8, 3×3) on 254², pointwise on 254², strided on 126², fc on 126².</summary>
    public const long FusedMacs256 = 254L * 254 * 8 * 27 + 254L * 254 * 64 + 126L * 126 * 8 * 72 + 126L * 126 * 8;

    /// <summary>A random Tiny-LaDeDa with realistic BatchNorm statistics.</summary>
    public static TinyLaDeDaModel Model() => TinyLaDeDaModel.FromStateDict(StateDict());

    /// <summary>The tensors of <see cref="Model"/>.</summary>
    public static StateDict StateDict()
    {
        var rng = new Random(42);
        var tensors = new Dictionary<string, TensorData>();
        foreach (var spec in TinyLaDeDaModel.Spec.Where(s => s.Required))
        {
            var values = new float[spec.Shape.Aggregate(1, (a, b) => a * b)];
            for (int i = 0; i < values.Length; i++)
                values[i] = spec.Name.EndsWith("running_var", StringComparison.Ordinal) ? 0.5f + rng.NextSingle() : rng.NextSingle() - 0.5f;
            tensors[spec.Name] = TensorData.FromFloat32(values, spec.Shape);
        }
        return new StateDict(tensors);
    }

    /// <summary>
    /// A random LaDeDa state dict (receptive field <paramref name="receptiveField"/>): He-scaled conv weights and
    /// BatchNorm statistics that keep activations O(1), as the tests' random models.
    /// </summary>
    public static StateDict LaDeDaStateDict(int receptiveField = 9, int seed = 42)
    {
        var spec = LaDeDaSpec.ForReceptiveField(receptiveField);
        var rng = new Random(seed);
        var tensors = new Dictionary<string, TensorData>();
        foreach (var t in spec.Tensors.Where(t => t.Required))
        {
            var values = new float[t.Shape.Aggregate(1, (a, b) => a * b)];
            double fanIn = t.Shape.Length == 4 ? t.Shape[1] * t.Shape[2] * t.Shape[3] : t.Shape.Length == 2 ? t.Shape[1] : 1;
            bool batchNorm = t.Shape.Length == 1 && t.Name != "fc.bias";
            for (int i = 0; i < values.Length; i++)
                values[i] = t.Name.EndsWith("running_var", StringComparison.Ordinal) ? 0.5f + rng.NextSingle()
                          : t.Name.EndsWith("running_mean", StringComparison.Ordinal) ? 0.2f * (rng.NextSingle() - 0.5f)
                          : batchNorm ? (t.Name.EndsWith(".weight", StringComparison.Ordinal) ? 0.5f + 0.5f * rng.NextSingle() : 0.2f * (rng.NextSingle() - 0.5f))
                          : (float)((rng.NextDouble() * 2 - 1) * Math.Sqrt(3.0 / fanIn));
            tensors[t.Name] = TensorData.FromFloat32(values, t.Shape);
        }
        return new StateDict(tensors, new Dictionary<string, string>
        {
            ["model"] = "ladeda", ["preprocess"] = "npr", [LaDeDaSpec.ReceptiveFieldMetadataKey] = receptiveField.ToString(),
        });
    }

    /// <summary>The model of <see cref="LaDeDaStateDict"/>.</summary>
    public static LaDeDaModel LaDeDa(int receptiveField = 9, int seed = 42) =>
        LaDeDaModel.FromStateDict(LaDeDaStateDict(receptiveField, seed));

    /// <summary>A random RGB image.</summary>
    public static Rgb24Image Image(int width, int height, int seed = 1)
    {
        var pixels = new byte[width * height * 3];
        new Random(seed).NextBytes(pixels);
        return new Rgb24Image(width, height, pixels);
    }
}
