using FastLaDeDa.Imaging;
using FastLaDeDa.Models;
using FastLaDeDa.Tests.Support;
using FastLaDeDa.Weights;

namespace FastLaDeDa.Bench;

/// <summary>
/// Deterministic benchmark inputs that need nothing outside the repository: a Tiny-LaDeDa with
/// random weights (speed does not depend on weight values) and random RGB images.
/// </summary>
internal static class BenchInputs
{
    /// <summary>Multiply-adds the fused engine executes for one 256×256 image: stem (conv1 fused, 3→8, 3×3) on 254², pointwise on 254², strided on 126², fc on 126².</summary>
    public const long FusedMacs256 = 254L * 254 * 8 * 27 + 254L * 254 * 64 + 126L * 126 * 8 * 72 + 126L * 126 * 8;

    /// <summary>
    /// Multiply-adds the fused kernel actually needs for one 256×256 image: the stem as Winograd
    /// F(2,3) along x (4 products of 72 multiply-adds per column pair instead of 6), the strided conv
    /// as polyphase Winograd F(2,2) along x (5 per output pair, kernel row and channel pair instead
    /// of 6), pointwise and fc as in <see cref="FusedMacs256"/> (21.2 M instead of 27.3 M).
    /// </summary>
    public const long WinogradMacs256 = 254L * 127 * 4 * 72 + 254L * 254 * 64 + 126L * 63 * 8 * 3 * 5 * 8 + 126L * 126 * 8;

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

    /// <summary>A random LaDeDa9 (the tests' <c>RandomLaDeDa</c>: He-scaled convs, realistic BatchNorm statistics).</summary>
    public static LaDeDaModel LaDeDa() => LaDeDaModel.FromStateDict(RandomLaDeDa.StateDict(42));

    /// <summary>A random RGB image.</summary>
    public static Rgb24Image Image(int width, int height, int seed = 1)
    {
        var pixels = new byte[width * height * 3];
        new Random(seed).NextBytes(pixels);
        return new Rgb24Image(width, height, pixels);
    }
}
