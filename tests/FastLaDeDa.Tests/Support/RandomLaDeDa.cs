using FastLaDeDa.Models;
using FastLaDeDa.Weights;

namespace FastLaDeDa.Tests.Support;

/// <summary>Random LaDeDa state dicts with non-trivial BatchNorm statistics, scaled so activations stay O(1).</summary>
internal static class RandomLaDeDa
{
    /// <summary>A valid state dict for <paramref name="receptiveField"/> drawn from <paramref name="seed"/>.</summary>
    public static StateDict StateDict(int seed, int receptiveField = 9)
    {
        var spec = LaDeDaSpec.ForReceptiveField(receptiveField);
        var rng = new Random(seed);
        var tensors = new Dictionary<string, TensorData>();
        foreach (var t in spec.Tensors.Where(t => t.Required))
        {
            int count = t.Shape.Aggregate(1, (a, b) => a * b);
            var values = new float[count];
            // He-like scale for conv weights: fan-in = in × k × k.
            double fanIn = t.Shape.Length == 4 ? t.Shape[1] * t.Shape[2] * t.Shape[3] : t.Shape.Length == 2 ? t.Shape[1] : 1;
            for (int i = 0; i < count; i++)
                values[i] = t.Name.EndsWith("running_var", StringComparison.Ordinal) ? 0.5f + rng.NextSingle()
                          : t.Name.EndsWith("running_mean", StringComparison.Ordinal) ? 0.2f * (rng.NextSingle() - 0.5f)
                          : t.Shape.Length == 1 && t.Name.Contains("bn") || t.Name.Contains("downsample.1") ? (t.Name.EndsWith(".weight") ? 0.5f + 0.5f * rng.NextSingle() : 0.2f * (rng.NextSingle() - 0.5f))
                          : (float)((rng.NextDouble() * 2 - 1) * Math.Sqrt(3.0 / fanIn));
            tensors[t.Name] = TensorData.FromFloat32(values, t.Shape);
        }
        return new StateDict(tensors, new Dictionary<string, string> { [LaDeDaSpec.ReceptiveFieldMetadataKey] = receptiveField.ToString() }, "random-ladeda.safetensors");
    }
}
