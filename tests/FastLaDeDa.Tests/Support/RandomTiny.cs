using FastLaDeDa.Models;
using FastLaDeDa.Weights;

namespace FastLaDeDa.Tests.Support;

/// <summary>Random Tiny-LaDeDa state dicts with non-trivial BatchNorm statistics.</summary>
internal static class RandomTiny
{
    /// <summary>A valid state dict drawn from <paramref name="seed"/>.</summary>
    public static Dictionary<string, TensorData> Tensors(int seed)
    {
        var rng = new Random(seed);
        var tensors = new Dictionary<string, TensorData>();
        foreach (var spec in TinyLaDeDaModel.Spec)
        {
            int count = spec.Shape.Aggregate(1, (a, b) => a * b);
            if (spec.Name.EndsWith("num_batches_tracked", StringComparison.Ordinal))
            {
                tensors[spec.Name] = new TensorData(TensorDType.Int64, spec.Shape, BitConverter.GetBytes(1000L));
                continue;
            }
            var values = new float[count];
            for (int i = 0; i < count; i++)
                values[i] = spec.Name.EndsWith("running_var", StringComparison.Ordinal) ? 0.2f + (float)rng.NextDouble() * 2f
                          : spec.Name.EndsWith(".weight", StringComparison.Ordinal) && spec.Name.Contains("bn") ? 0.5f + (float)rng.NextDouble()
                          : (float)(rng.NextDouble() * 2 - 1) * 0.6f;
            tensors[spec.Name] = TensorData.FromFloat32(values, spec.Shape);
        }
        return tensors;
    }

    /// <summary>A valid state dict drawn from <paramref name="seed"/>, wrapped.</summary>
    public static StateDict StateDict(int seed, IEnumerable<KeyValuePair<string, string>>? metadata = null) =>
        new(Tensors(seed), metadata, "random.safetensors");
}
