using FastLaDeDa.Models;
using FastLaDeDa.Preprocessing;
using TorchSharp;
using static TorchSharp.torch;

namespace FastLaDeDa.Training.Models;

/// <summary>
/// A fully convolutional detector that maps a normalized image batch [N,3,H,W] to a patch-logit
/// map [N,1,H',W'] (the model's preprocessing filter is its first step), and pools the map into
/// one logit per image. State-dict names are the official PyTorch ones, so official checkpoints
/// load and exports load into the inference engine.
/// </summary>
internal abstract class PatchLogitNet : nn.Module<Tensor, Tensor>
{
    /// <summary>Creates the module.</summary>
    protected PatchLogitNet(string name, PreprocessKind preprocess) : base(name) => Preprocess = preprocess;

    /// <summary>The filter applied to the normalized input before the first convolution.</summary>
    public PreprocessKind Preprocess { get; set; }

    /// <summary>The architecture, as recorded in exported metadata.</summary>
    public abstract ModelKind Kind { get; }

    /// <summary>Input pixels one patch logit sees per axis (not counting the preprocessing filter's own reach).</summary>
    public abstract int ReceptiveField { get; }

    /// <summary>Input pixels between neighbouring patch logits.</summary>
    public abstract int Stride { get; }

    /// <summary>Patch-map size along one axis for an input of <paramref name="inputSize"/> pixels.</summary>
    public abstract int MapSize(int inputSize);

    /// <summary>The tensors the state dict must hold (names and shapes).</summary>
    public abstract IReadOnlyList<TensorSpec> TensorSpecs { get; }

    /// <summary>A human-readable model name for messages.</summary>
    public abstract string DisplayName { get; }

    /// <summary>Normalized images [N,3,H,W] → patch logits [N,1,H',W'].</summary>
    public override Tensor forward(Tensor normalized)
    {
        ArgumentNullException.ThrowIfNull(normalized);
        using var scope = NewDisposeScope();
        Tensor features = Features(TorchPreprocessing.Apply(Preprocess, normalized));
        return Head(features).MoveToOuterDisposeScope();
    }

    /// <summary>The per-position features the head reads, from the preprocessed input.</summary>
    public abstract Tensor Features(Tensor preprocessed);

    /// <summary>The fc layer applied at every position of [N,C,H,W] features: [N,1,H,W].</summary>
    public abstract Tensor Head(Tensor features);

    /// <summary>One logit per image [N]: the mean (default) or max of each map.</summary>
    public static Tensor Pool(Tensor map, PoolingKind pooling = PoolingKind.Mean)
    {
        ArgumentNullException.ThrowIfNull(map);
        using Tensor flat = map.flatten(1);
        return pooling == PoolingKind.Max ? flat.amax([1]) : flat.mean([1]);
    }

    /// <summary>Learnable parameters (what MODEL.md counts).</summary>
    public long ParameterCount() => parameters().Sum(p => p.numel());

    /// <summary>Applies <paramref name="fc"/> (a Linear C→1) at every position as a 1×1 convolution.</summary>
    protected static Tensor PerPosition(TorchSharp.Modules.Linear fc, Tensor features)
    {
        ArgumentNullException.ThrowIfNull(fc);
        Tensor weight = fc.weight!;
        return nn.functional.conv2d(features, weight.view(weight.shape[0], weight.shape[1], 1, 1), fc.bias);
    }
}
