using FastLaDeDa.Preprocessing;
using TorchSharp;
using static TorchSharp.torch;

namespace FastLaDeDa.Training.Models;

/// <summary>
/// The input pipeline's tensor stages as differentiable torch operations on a batch: ImageNet
/// normalization of uint8 pixels, then the preprocessing filters of MODEL.md on the normalized
/// [N,3,H,W] float32 tensor. They give the same values as the library's scalar implementations
/// (<see cref="ImageNetNormalization"/>, <see cref="Preprocessor"/>): normalization and NPR bit for
/// bit, the gradient filters up to float32 summation order.
/// </summary>
internal static class TorchPreprocessing
{
    /// <summary>
    /// torchvision's <c>ToTensor</c> + <c>Normalize</c>: uint8 [N,H,W,3] (interleaved RGB, as
    /// decoded) to float32 [N,3,H,W] computed as <c>(v / 255 − mean) / std</c> in float32 — a
    /// division by std, not a multiplication by its reciprocal, exactly as torchvision does it.
    /// </summary>
    public static Tensor Normalize(Tensor pixels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        if (pixels.dtype != ScalarType.Byte || pixels.dim() != 4 || pixels.shape[3] != 3)
            throw new ArgumentException($"expected uint8 [N,H,W,3] pixels, got {pixels.dtype} [{string.Join(",", pixels.shape)}]", nameof(pixels));
        using var scope = NewDisposeScope();
        using Scalar maxByte = 255f.ToScalar();   // explicit and held, as in Npr
        Tensor x = pixels.permute(0, 3, 1, 2).to_type(ScalarType.Float32).div(maxByte);
        Tensor mean = tensor(ImageNetNormalization.Mean.ToArray(), device: pixels.device).view(1, 3, 1, 1);
        Tensor std = tensor(ImageNetNormalization.Std.ToArray(), device: pixels.device).view(1, 3, 1, 1);
        return x.sub(mean).div(std).contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>Applies <paramref name="kind"/> to a normalized float32 [N,C,H,W] batch; the result has the same shape.</summary>
    public static Tensor Apply(PreprocessKind kind, Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.dim() != 4) throw new ArgumentException($"expected [N,C,H,W], got [{string.Join(",", x.shape)}]", nameof(x));
        return kind switch
        {
            PreprocessKind.Raw => x.alias(),
            PreprocessKind.Npr or PreprocessKind.NprTwoThirds => Npr(x, NprFilter.Scale(kind)),
            _ => Gradient(kind, x),
        };
    }

    /// <summary>
    /// NPR: <c>(x[i,j] − x[2⌊i/2⌋, 2⌊j/2⌋]) · scale</c>. The official nearest-down/nearest-up form,
    /// written as an index so that odd sizes follow the same formula (the last odd row and column
    /// reference themselves and give 0).
    /// </summary>
    public static Tensor Npr(Tensor x, float scale = 1f)
    {
        ArgumentNullException.ThrowIfNull(x);
        using var scope = NewDisposeScope();
        Tensor anchor = x.index_select(-2, EvenAnchors(x.shape[^2], x.device)).index_select(-1, EvenAnchors(x.shape[^1], x.device));
        Tensor diff = x.sub(anchor);
        // Multiplying by exactly 1 would change nothing; plain NPR stays one subtraction.
        if (scale == 1f) return diff.MoveToOuterDisposeScope();
        // An explicit Scalar held to the end of the call: an implicitly converted one can be finalized
        // while libtorch still reads it ("Unknown scalar type" after hours of training).
        using Scalar factor = scale.ToScalar();
        return diff.mul(factor).MoveToOuterDisposeScope();
    }

    /// <summary>2⌊i/2⌋ for i in [0, n): built from managed indices, with no Scalar (see above).</summary>
    private static Tensor EvenAnchors(long n, Device device)
    {
        var anchors = new long[n];
        for (long i = 0; i < n; i++) anchors[i] = i & ~1L;
        return tensor(anchors, device: device);
    }

    /// <summary>
    /// A directional gradient (<see cref="GradientKernels"/>): the same fixed 3×3 filter on every
    /// channel (depthwise cross-correlation), zero padding 1, so the output keeps the input's size.
    /// </summary>
    public static Tensor Gradient(PreprocessKind kind, Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        using var scope = NewDisposeScope();
        long channels = x.shape[1];
        Tensor kernel = tensor(GradientKernels.Taps(kind).ToArray(), dtype: x.dtype, device: x.device)
            .view(1, 1, 3, 3).expand(channels, 1, 3, 3).contiguous();
        return nn.functional.conv2d(x, kernel, padding: [1, 1], groups: channels).MoveToOuterDisposeScope();
    }
}
