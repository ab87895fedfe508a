using FastLaDeDa.Training.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace FastLaDeDa.Training.Tests.Support;

/// <summary>Networks with reproducible random weights and non-trivial BatchNorm statistics.</summary>
internal static class TorchTestNets
{
    /// <summary>
    /// Re-draws every BatchNorm's running statistics, weight and bias (the defaults 0/1/1/0 would make
    /// BatchNorm an identity and hide mistakes), seeded; convolutions and fc keep their initialization
    /// (seed it with <c>torch.manual_seed</c> before constructing). Returns the network in eval mode.
    /// </summary>
    public static T Randomize<T>(T net, int seed) where T : PatchLogitNet
    {
        var generator = new Generator((ulong)seed);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        foreach (var (name, t) in net.state_dict())
        {
            bool batchNorm = name.StartsWith("bn", StringComparison.Ordinal) || name.Contains(".bn", StringComparison.Ordinal) || name.Contains("downsample.1.", StringComparison.Ordinal);
            if (!batchNorm || t.dtype != ScalarType.Float32) continue;
            Tensor u = rand(t.shape, generator: generator);
            t.copy_(name.EndsWith(".running_var", StringComparison.Ordinal) ? u.mul(2).add(0.2)
                  : name.EndsWith(".running_mean", StringComparison.Ordinal) ? u.sub(0.5)
                  : name.EndsWith(".weight", StringComparison.Ordinal) ? u.add(0.5)
                  : u.sub(0.5).mul(0.6));
        }
        net.eval();
        return net;
    }

    /// <summary>A reproducible uint8 [N,H,W,3] image batch.</summary>
    public static Tensor RandomPixels(int count, int height, int width, int seed) =>
        randint(0, 256, [count, height, width, 3], dtype: ScalarType.Byte, generator: new Generator((ulong)seed));
}
