using FastLaDeDa.Imaging;
using FastLaDeDa.Preprocessing;
using FastLaDeDa.Tests.Support;
using FastLaDeDa.Training.Data;
using FastLaDeDa.Training.Models;
using FastLaDeDa.Training.Tests.Support;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace FastLaDeDa.Training.Tests;

/// <summary>The torch preprocessing operators against the library's scalar reference and the official goldens.</summary>
public class PreprocessingTests(ITestOutputHelper output)
{
    public static TheoryData<PreprocessKind> AllKinds() => [.. Enum.GetValues<PreprocessKind>()];

    [Fact]
    public void Normalization_is_bit_identical_to_the_library()
    {
        using var scope = NewDisposeScope();
        Tensor pixels = TorchTestNets.RandomPixels(2, 13, 17, seed: 1);
        float[] ours = TorchPreprocessing.Normalize(pixels).data<float>().ToArray();
        byte[] bytes = pixels.data<byte>().ToArray();
        for (int n = 0; n < 2; n++)
        {
            var image = new Rgb24Image(17, 13, bytes[(n * 13 * 17 * 3)..((n + 1) * 13 * 17 * 3)]);
            float[] library = ImageNetNormalization.Normalize(image).Data;
            Assert.Equal(library, ours[(n * library.Length)..((n + 1) * library.Length)]);
        }
    }

    /// <summary>The golden file holds the official pipeline's intermediate tensors for its first image.</summary>
    [SkippableFact]
    public void Normalization_npr_and_right_diag_match_the_official_intermediates()
    {
        const string name = "real_progan_png256";
        using var scope = NewDisposeScope();
        Tensor normalized = ImageTensors.ToNormalizedBatch([Goldens.Image(name + ".resized")]);
        Assert.Equal(Goldens.Floats(name + ".normalized"), normalized.data<float>().ToArray());
        Assert.Equal(Goldens.Floats(name + ".npr"), TorchPreprocessing.Apply(PreprocessKind.Npr, normalized).data<float>().ToArray());

        float[] expected = Goldens.Floats(name + ".right_diag");
        float[] actual = TorchPreprocessing.Apply(PreprocessKind.RightDiag, normalized).data<float>().ToArray();
        double diff = Compare.MaxAbsDiff(expected, actual), scale = Compare.MaxAbs(expected);
        output.WriteLine($"right_diag: max |Δ| {diff:E2} of max |value| {scale:F2}");
        Assert.True(diff <= 1e-6 * scale, $"right_diag off by {diff}");
    }

    /// <summary>Every operator on even and odd sizes against <see cref="Preprocessor"/>'s scalar reference: NPR and raw bit for bit, gradients up to float32 summation order.</summary>
    [Theory]
    [MemberData(nameof(AllKinds))]
    public void Each_operator_matches_the_library_scalar_reference(PreprocessKind kind)
    {
        foreach (var (h, w) in new[] { (8, 10), (7, 9), (1, 5), (16, 3) })
        {
            using var scope = NewDisposeScope();
            Tensor x = randn([2, 3, h, w], generator: new Generator((ulong)(h * 100 + w))).mul(2);
            float[] actual = TorchPreprocessing.Apply(kind, x).data<float>().ToArray();
            float[] input = x.data<float>().ToArray();
            int plane = h * w;
            var expected = new float[input.Length];
            for (int p = 0; p < 2 * 3; p++)
            {
                ReadOnlySpan<float> src = input.AsSpan(p * plane, plane);
                Span<float> dst = expected.AsSpan(p * plane, plane);
                switch (kind)
                {
                    case PreprocessKind.Raw: src.CopyTo(dst); break;
                    case PreprocessKind.Npr: Preprocessor.Npr(src, dst, h, w, 1f); break;
                    case PreprocessKind.NprTwoThirds: Preprocessor.Npr(src, dst, h, w, 2f / 3f); break;
                    default: Preprocessor.Gradient(GradientKernels.Taps(kind), src, dst, h, w); break;
                }
            }
            if (GradientKernels.IsGradient(kind))
                Assert.True(Compare.MaxAbsDiff(expected, actual) <= 1e-6 * Compare.MaxAbs(expected), $"{kind} {h}x{w}");
            else
                Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public void Npr_is_differentiable()
    {
        using var scope = NewDisposeScope();
        Tensor x = randn([1, 1, 4, 4], generator: new Generator(3)).requires_grad_();
        TorchPreprocessing.Npr(x).sum().backward();
        // Each 2×2 block: each pixel counts once, the anchor is subtracted from all four (its own term cancels).
        float[] grad = x.grad!.data<float>().ToArray();
        for (int y = 0; y < 4; y++)
            for (int xx = 0; xx < 4; xx++)
                Assert.Equal(y % 2 == 0 && xx % 2 == 0 ? -3f : 1f, grad[y * 4 + xx]);
    }
}
