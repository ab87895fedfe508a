using FastLaDeDa.Imaging;
using FastLaDeDa.Preprocessing;
using FastLaDeDa.Training.Data;
using FastLaDeDa.Training.Export;
using FastLaDeDa.Training.Models;
using FastLaDeDa.Weights;
using static TorchSharp.torch;

namespace FastLaDeDa.Training.Tests;

/// <summary>The TorchSharp LaDeDa model as the independent reference of the parity tests.</summary>
internal static class TorchLaDeDa
{
    /// <summary>The patch-logit map (row-major) of <paramref name="dict"/> on one image, in eval mode without gradients.</summary>
    public static float[] Map(StateDict dict, PreprocessKind preprocess, Rgb24Image image)
    {
        using var scope = NewDisposeScope();
        using LaDeDaNet net = TorchStateDict.LoadLaDeDa(dict, preprocess);
        net.eval();
        using var noGrad = no_grad();
        return net.forward(ImageTensors.ToNormalizedBatch([image])).data<float>().ToArray();
    }
}
