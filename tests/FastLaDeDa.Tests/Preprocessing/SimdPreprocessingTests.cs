using FastLaDeDa.Preprocessing;
using FastLaDeDa.Simd;
using FastLaDeDa.Tests.Support;

namespace FastLaDeDa.Tests.Preprocessing;

/// <summary>
/// Every implementation of the preprocessing operators this machine supports (scalar, Vector256,
/// Vector512) against the scalar reference, bit for bit, over every size whose remainders the
/// vector loops treat differently.
/// </summary>
[Trait(PerIsaSuites.Trait, PerIsaSuites.Value)]
public class SimdPreprocessingTests
{
    public static TheoryData<string> Normalizers() => Implementations.Names(ImageNetNormalizer.All);
    public static TheoryData<string> NprFilters() => Implementations.Names(NprFilter.All);
    public static TheoryData<string> GradientFilters() => Implementations.Names(GradientFilter.All);

    private static int[] Bits(float[] values) => values.Select(BitConverter.SingleToInt32Bits).ToArray();

    /// <summary>Random values in [-3, 3] with some exact zeros of both signs (they decide the sign of zero sums).</summary>
    private static float[] RandomPlane(Random random, int length)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++)
            values[i] = random.Next(10) switch
            {
                0 => 0f,
                1 => -0f,
                _ => (float)(random.NextDouble() * 6 - 3),
            };
        return values;
    }

    private static void AssertBitsEqual(float[] expected, float[] actual, string context)
    {
        int[] e = Bits(expected), a = Bits(actual);
        for (int i = 0; i < e.Length; i++)
            if (e[i] != a[i])
                Assert.Fail($"{context}: index {i} expected {expected[i]:R} (0x{e[i]:X8}) got {actual[i]:R} (0x{a[i]:X8})");
    }

    [SkippableTheory]
    [MemberData(nameof(Normalizers))]
    public void Normalization_equals_the_scalar_reference_for_every_pixel_count_up_to_300(string implementation)
    {
        ImageNetNormalizer normalizer = Implementations.Normalizer(implementation);
        var random = new Random(300);
        for (int pixels = 0; pixels <= 300; pixels++)
        {
            var rgb = new byte[pixels * 3];
            random.NextBytes(rgb);
            var expected = new float[rgb.Length];
            ImageNetNormalizerScalar.Instance.Normalize(rgb, expected);
            float[] actual = Enumerable.Repeat(float.NaN, rgb.Length).ToArray(); // unwritten values show
            normalizer.Normalize(rgb, actual);
            AssertBitsEqual(expected, actual, $"{pixels} pixels");
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Normalizers))]
    public void Normalization_of_every_byte_value_in_every_channel_equals_the_formula(string implementation)
    {
        // 256 pixels: R runs 0..255, G 255..0, B in a shuffled order, so each channel sees every value.
        var rgb = new byte[256 * 3];
        for (int i = 0; i < 256; i++)
        {
            rgb[i * 3] = (byte)i;
            rgb[i * 3 + 1] = (byte)(255 - i);
            rgb[i * 3 + 2] = (byte)(i * 167 + 13); // 167 is odd: a permutation of 0..255
        }
        var actual = new float[rgb.Length];
        Implementations.Normalizer(implementation).Normalize(rgb, actual);
        for (int c = 0; c < 3; c++)
            for (int i = 0; i < 256; i++)
            {
                float expected = (rgb[i * 3 + c] / 255f - ImageNetNormalization.Mean[c]) / ImageNetNormalization.Std[c];
                Assert.Equal(BitConverter.SingleToInt32Bits(expected), BitConverter.SingleToInt32Bits(actual[c * 256 + i]));
            }
    }

    [SkippableTheory]
    [MemberData(nameof(NprFilters))]
    public void Npr_equals_the_scalar_reference_for_widths_1_to_70_and_heights_1_to_6(string implementation)
    {
        NprFilter filter = Implementations.Npr(implementation);
        var random = new Random(70);
        foreach (float scale in new[] { 1f, 2f / 3f })
            for (int height = 1; height <= 6; height++)
                for (int width = 1; width <= 70; width++)
                {
                    float[] src = RandomPlane(random, height * width);
                    var expected = new float[src.Length];
                    Preprocessor.Npr(src, expected, height, width, scale);
                    float[] actual = Enumerable.Repeat(float.NaN, src.Length).ToArray();
                    filter.Apply(src, actual, height, width, scale);
                    AssertBitsEqual(expected, actual, $"{height}x{width} scale {scale}");
                }
    }

    public static TheoryData<string, string> GradientCases()
    {
        var data = new TheoryData<string, string>();
        foreach (string implementation in GradientFilters())
            foreach (string kind in new[] { "right_diag", "left_diag", "x_grad", "y_grad", "dense", "sparse" })
                data.Add(implementation, kind);
        return data;
    }

    /// <summary>The four model filters, plus a filter with nine non-zero taps and one with two.</summary>
    private static float[] Taps(string kind) => kind switch
    {
        "dense" => [0.75f, -1.25f, 0.1f, 3f, -0.3f, 0.01f, -7f, 2.5f, 1f / 3f],
        "sparse" => [0f, 0f, -0.7f, 0f, 0f, 0f, 1.3f, 0f, 0f],
        _ => PreprocessKindNames.TryParse(kind, out PreprocessKind k) ? GradientKernels.Taps(k).ToArray() : throw new ArgumentException(kind),
    };

    [SkippableTheory]
    [MemberData(nameof(GradientCases))]
    public void Gradient_equals_the_scalar_reference_for_widths_1_to_70_and_heights_1_to_6(string implementation, string kind)
    {
        GradientFilter filter = Implementations.Gradient(implementation);
        float[] taps = Taps(kind);
        var random = new Random(kind.Length * 1000 + 70);
        for (int height = 1; height <= 6; height++)
            for (int width = 1; width <= 70; width++)
            {
                float[] src = RandomPlane(random, height * width);
                var expected = new float[src.Length];
                Preprocessor.Gradient(taps, src, expected, height, width);
                float[] actual = Enumerable.Repeat(float.NaN, src.Length).ToArray();
                filter.Apply(taps, src, actual, height, width);
                AssertBitsEqual(expected, actual, $"{kind} {height}x{width}");
            }
    }

    [SkippableTheory]
    [MemberData(nameof(GradientFilters))]
    public void Gradient_of_a_full_size_image_equals_the_scalar_reference(string implementation)
    {
        var random = new Random(256);
        float[] src = RandomPlane(random, 256 * 256);
        foreach (PreprocessKind kind in new[] { PreprocessKind.RightDiag, PreprocessKind.LeftDiag, PreprocessKind.XGrad, PreprocessKind.YGrad })
        {
            var expected = new float[src.Length];
            Preprocessor.Gradient(GradientKernels.Taps(kind), src, expected, 256, 256);
            var actual = new float[src.Length];
            Implementations.Gradient(implementation).Apply(GradientKernels.Taps(kind), src, actual, 256, 256);
            AssertBitsEqual(expected, actual, kind.ToName());
        }
    }

    [SkippableTheory]
    [MemberData(nameof(GradientFilters))]
    public void Apply_with_each_implementation_equals_the_scalar_reference_on_a_tensor(string implementation)
    {
        // 3 channels, odd sizes: the channel planes follow each other without padding.
        var input = new ChwTensor(3, 37, 53, RandomPlane(new Random(53), 3 * 37 * 53));
        NprFilter npr = NprFilter.All.Single(f => f.Isa == Implementations.Gradient(implementation).Isa);
        foreach (PreprocessKind kind in Enum.GetValues<PreprocessKind>())
        {
            ChwTensor expected = Preprocessor.Apply(kind, input, NprFilterScalar.Instance, GradientFilterScalar.Instance);
            ChwTensor actual = Preprocessor.Apply(kind, input, npr, Implementations.Gradient(implementation));
            AssertBitsEqual(expected.Data, actual.Data, kind.ToName());
        }
    }

    [Fact]
    public void The_factories_pick_the_widest_supported_implementation()
    {
        foreach (IReadOnlyList<SimdImplementation> all in new IReadOnlyList<SimdImplementation>[] { ImageNetNormalizer.All, NprFilter.All, GradientFilter.All })
        {
            Assert.Equal(["Vector512", "Vector256", "Vector128", "Scalar"], all.Select(i => i.Isa));
            Assert.True(all[^1].IsSupported);
        }
        Assert.Equal(Implementations.ExpectedIsa, ImageNetNormalizer.Best.Isa);
        Assert.Equal(Implementations.ExpectedIsa, NprFilter.Best.Isa);
        Assert.Equal(Implementations.ExpectedIsa, GradientFilter.Best.Isa);
        Assert.Same(ImageNetNormalizer.All.First(i => i.IsSupported), ImageNetNormalizer.Best);
    }
}
