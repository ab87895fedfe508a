using FastLaDeDa.Preprocessing;
using FastLaDeDa.Tests.Support;
using Xunit.Abstractions;

namespace FastLaDeDa.Tests.Preprocessing;

public class PreprocessorTests(ITestOutputHelper output)
{
    private static ChwTensor Ramp(int height, int width, float a, float b)
    {
        var t = new ChwTensor(3, height, width);
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++)
                    t[c, y, x] = (c + 1) * (a * y + b * x);
        return t;
    }

    // On a linear ramp v = a·y + b·x the interior response of a 3×3 filter k is
    // a·Σk[u,v](u−1) + b·Σk[u,v](v−1): computed by hand for each filter.
    [Theory]
    [InlineData(PreprocessKind.RightDiag, 6, 6)]
    [InlineData(PreprocessKind.LeftDiag, -6, 6)]
    [InlineData(PreprocessKind.XGrad, 0, 8)]
    [InlineData(PreprocessKind.YGrad, 8, 0)]
    public void Gradient_of_a_ramp_is_its_hand_computed_slope(PreprocessKind kind, float perA, float perB)
    {
        const float a = 0.25f, b = 0.5f;
        ChwTensor result = Preprocessor.Apply(kind, Ramp(7, 9, a, b));
        for (int c = 0; c < 3; c++)
            for (int y = 1; y < 6; y++)
                for (int x = 1; x < 8; x++)
                    Assert.Equal((c + 1) * (perA * a + perB * b), result[c, y, x], 5);
    }

    [Fact]
    public void Gradient_pads_with_zeros()
    {
        var t = new ChwTensor(1, 3, 3);
        t[0, 0, 0] = 1; // only the corner is set
        ChwTensor r = Preprocessor.Apply(PreprocessKind.RightDiag, t);
        // out[y,x] = Σ k[u,v]·in[y+u−1, x+v−1]: the corner pixel reaches out[0,0] through k[1,1]=0,
        // out[1,1] through k[0,0]=−2, out[0,1] through k[1,0]=−1, out[1,0] through k[0,1]=−1.
        Assert.Equal(0f, r[0, 0, 0]);
        Assert.Equal(-2f, r[0, 1, 1]);
        Assert.Equal(-1f, r[0, 0, 1]);
        Assert.Equal(-1f, r[0, 1, 0]);
        Assert.Equal(0f, r[0, 2, 2]);
    }

    [Theory]
    [InlineData(4, 6)]
    [InlineData(5, 7)] // odd sizes: the last row/column is its own anchor
    public void Npr_subtracts_the_top_left_pixel_of_each_2x2_block(int height, int width)
    {
        var t = new ChwTensor(1, height, width);
        for (int i = 0; i < t.Data.Length; i++) t.Data[i] = i * i % 17;
        ChwTensor r = Preprocessor.Apply(PreprocessKind.Npr, t);
        ChwTensor r23 = Preprocessor.Apply(PreprocessKind.NprTwoThirds, t);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                float expected = t[0, y, x] - t[0, y / 2 * 2, x / 2 * 2];
                Assert.Equal(expected, r[0, y, x]);
                Assert.Equal(expected * (2f / 3f), r23[0, y, x]);
            }
        if (height % 2 == 1) Assert.Equal(0f, r[0, height - 1, width - 1]);
    }

    [Fact]
    public void Raw_is_the_identity()
    {
        ChwTensor t = Ramp(5, 5, 1, 2);
        Assert.Equal(t.Data, Preprocessor.Apply(PreprocessKind.Raw, t).Data);
    }

    [SkippableTheory]
    [InlineData(PreprocessKind.Npr, "npr")]
    [InlineData(PreprocessKind.RightDiag, "right_diag")]
    public void Matches_the_official_pipeline_on_the_golden_image(PreprocessKind kind, string golden)
    {
        var normalized = new ChwTensor(3, 256, 256, Goldens.Floats("real_progan_png256.normalized"));
        float[] expected = Goldens.Floats("real_progan_png256." + golden);
        double maxDiff = Compare.MaxAbsDiff(expected, Preprocessor.Apply(kind, normalized).Data);
        output.WriteLine($"{golden}: max |Δ| = {maxDiff:E3} (max |value| {Compare.MaxAbs(expected):F3})");
        Assert.True(maxDiff <= 1e-6, $"max |Δ| {maxDiff}");
    }

    [Theory]
    [InlineData("right_diag", PreprocessKind.RightDiag)]
    [InlineData("RIGHT-DIAG", PreprocessKind.RightDiag)]
    [InlineData("npr_2_3", PreprocessKind.NprTwoThirds)]
    [InlineData("x_grad", PreprocessKind.XGrad)]
    public void Names_parse(string text, PreprocessKind expected)
    {
        Assert.True(PreprocessKindNames.TryParse(text, out var kind));
        Assert.Equal(expected, kind);
        Assert.False(PreprocessKindNames.TryParse("sobel", out _));
    }
}
