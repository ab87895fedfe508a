using FastLaDeDa.Engines.Reference;
using FastLaDeDa.Models;
using FastLaDeDa.Preprocessing;
using FastLaDeDa.Tests.Support;
using FastLaDeDa.Weights;
using Xunit.Abstractions;

namespace FastLaDeDa.Tests.Engines;

public class TinyLaDeDaReferenceEngineTests(ITestOutputHelper output)
{
    /// <summary>
    /// The golden maps were computed by the official PyTorch code from <c>NAME.resized</c>, so
    /// this checks normalization + preprocessing + network without the decoder or the resize.
    /// </summary>
    [SkippableFact]
    public void Maps_match_the_official_goldens_for_both_checkpoints()
    {
        foreach (var (key, file, preprocess) in OfficialModels.All)
        {
            var model = TinyLaDeDaModel.FromStateDict(PthCheckpoint.Read(Goldens.OfficialCheckpoint(file)));
            foreach (string name in Goldens.ImageNames)
            {
                var input = ImageNetNormalization.Normalize(Goldens.Image(name + ".resized"));
                PatchMap map = TinyLaDeDaReferenceEngine.ComputeMap(model, preprocess, input);
                Assert.Equal((126, 126), (map.Width, map.Height));
                float[] expected = Goldens.Floats($"{name}.{key}.map");
                double maxDiff = Compare.MaxAbsDiff(expected, map.Logits);
                double scale = Compare.MaxAbs(expected);
                double meanDiff = Math.Abs(map.Pool(PoolingKind.Mean) - Goldens.Scalar($"{name}.{key}.logit"));
                double maxLogitDiff = Math.Abs(map.Pool(PoolingKind.Max) - Goldens.Scalar($"{name}.{key}.max_logit"));
                output.WriteLine($"{key,-16} {name,-34} max|Δmap| {maxDiff:E2} = {maxDiff / scale:E2} of max|map| {scale:F2}; |Δlogit| {meanDiff:E2}; |Δmax_logit| {maxLogitDiff:E2}");
                Assert.True(maxDiff <= 1e-4 * scale, $"{key} {name}: max |Δ| {maxDiff} > 1e-4 × {scale}");
                Assert.True(meanDiff <= 1e-4 * Math.Max(1, scale), $"{key} {name}: logit off by {meanDiff}");
                Assert.True(maxLogitDiff <= 1e-4 * Math.Max(1, scale), $"{key} {name}: max logit off by {maxLogitDiff}");
            }
        }
    }

    /// <summary>
    /// An independent float64 implementation written straight from MODEL.md's layer table, with the
    /// BatchNorms applied explicitly (not folded), checked at every map position of a random model.
    /// </summary>
    [Theory]
    [InlineData(7, 7, PreprocessKind.RightDiag)]
    [InlineData(12, 9, PreprocessKind.Npr)]
    [InlineData(10, 15, PreprocessKind.XGrad)]
    public void Matches_an_unfolded_per_patch_computation(int height, int width, PreprocessKind preprocess)
    {
        var tensors = RandomTiny.Tensors(height * 100 + width);
        var model = TinyLaDeDaModel.FromStateDict(new StateDict(tensors));
        var rng = new Random(7);
        var input = new ChwTensor(3, height, width);
        for (int i = 0; i < input.Data.Length; i++) input.Data[i] = (float)(rng.NextDouble() * 4 - 2);

        PatchMap map = TinyLaDeDaReferenceEngine.ComputeMap(model, preprocess, input);
        Assert.Equal(TinyLaDeDaModel.MapSize(height), map.Height);
        Assert.Equal(TinyLaDeDaModel.MapSize(width), map.Width);

        var p = Preprocessor.Apply(preprocess, input);
        for (int my = 0; my < map.Height; my++)
            for (int mx = 0; mx < map.Width; mx++)
                Assert.Equal(UnfoldedPatchLogit(tensors, p, my, mx), map[my, mx], 4);
    }

    private static double UnfoldedPatchLogit(Dictionary<string, TensorData> t, ChwTensor p, int my, int mx)
    {
        float[] F(string n) => t[n].ToFloat32();
        double Bn(string bn, int c, double v) =>
            (v - F(bn + ".running_mean")[c]) / Math.Sqrt(F(bn + ".running_var")[c] + 1e-5) * F(bn + ".weight")[c] + F(bn + ".bias")[c];
        float[] w1 = F("conv1.weight"), w2 = F("conv2.weight"), w3 = F("layer1.0.conv1.weight"), w4 = F("layer1.0.conv2.weight"), fc = F("fc.weight");

        // The strided conv reads a 3×3 window of layer-3 activations at (2my.., 2mx..).
        var l3 = new double[8, 3, 3];
        for (int dy = 0; dy < 3; dy++)
            for (int dx = 0; dx < 3; dx++)
            {
                int y = 2 * my + dy, x = 2 * mx + dx; // position in the stem's output grid
                var stem = new double[8];
                for (int o = 0; o < 8; o++)
                {
                    double s = 0;
                    for (int i = 0; i < 8; i++)
                        for (int ky = 0; ky < 3; ky++)
                            for (int kx = 0; kx < 3; kx++)
                            {
                                double conv1 = 0;
                                for (int c = 0; c < 3; c++) conv1 += w1[i * 3 + c] * p[c, y + ky, x + kx];
                                s += w2[((o * 8 + i) * 3 + ky) * 3 + kx] * conv1;
                            }
                    stem[o] = Math.Max(0, Bn("bn1", o, s));
                }
                for (int o = 0; o < 8; o++)
                {
                    double s = 0;
                    for (int i = 0; i < 8; i++) s += w3[o * 8 + i] * stem[i];
                    l3[o, dy, dx] = Math.Max(0, Bn("layer1.0.bn1", o, s));
                }
            }
        double logit = F("fc.bias")[0];
        for (int o = 0; o < 8; o++)
        {
            double s = 0;
            for (int i = 0; i < 8; i++)
                for (int ky = 0; ky < 3; ky++)
                    for (int kx = 0; kx < 3; kx++)
                        s += w4[((o * 8 + i) * 3 + ky) * 3 + kx] * l3[i, ky, kx];
            logit += fc[o] * Math.Max(0, Bn("layer1.0.bn2", o, s));
        }
        return logit;
    }
}
