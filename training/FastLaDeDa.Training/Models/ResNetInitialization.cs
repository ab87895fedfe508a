using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FastLaDeDa.Training.Models;

/// <summary>
/// The official LaDeDa/Tiny-LaDeDa initialization (the ResNet one): every convolution's weight from
/// N(0, 2 / (k·k·out_channels)) — He initialization over the fan-out — and every BatchNorm's weight 1,
/// bias 0. fc keeps PyTorch's default Linear initialization, as in the official code.
/// </summary>
internal static class ResNetInitialization
{
    /// <summary>Re-initializes <paramref name="net"/> in place from torch's global generator (seed it first).</summary>
    public static T Apply<T>(T net) where T : nn.Module
    {
        ArgumentNullException.ThrowIfNull(net);
        using var noGrad = no_grad();
        using Scalar one = 1.ToScalar();   // explicit and held (see TorchPreprocessing.Npr)
        foreach (var module in net.modules())
        {
            if (module is Conv2d conv)
            {
                var w = conv.weight!;
                double fanOut = w.shape[0] * w.shape[2] * w.shape[3];
                w.normal_(0, Math.Sqrt(2.0 / fanOut));
            }
            else if (module is BatchNorm2d bn)
            {
                bn.weight!.fill_(one);
                bn.bias!.zero_();
            }
        }
        return net;
    }
}
