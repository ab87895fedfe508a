using FastLaDeDa.Detection;
using FastLaDeDa.Errors;
using FastLaDeDa.Imaging;
using FastLaDeDa.Models;
using FastLaDeDa.Preprocessing;
using FastLaDeDa.Tests.Support;
using FastLaDeDa.Weights;
using Xunit.Abstractions;

namespace FastLaDeDa.Tests.Detection;

public class DetectorTests(ITestOutputHelper output)
{
    private static Detector Official(string key)
    {
        var (_, file, preprocess) = OfficialModels.Get(key);
        return Detector.Load(Goldens.OfficialCheckpoint(file), new DetectorOptions { Preprocess = preprocess });
    }

    /// <summary>
    /// From the file on disk to the image logit: decode, resize, normalize, filter, network, pooling.
    /// Mean logits must be within 1e-3, JPEGs as strictly as PNGs (the JPEG decoder yields Pillow's
    /// bytes). A max logit is one patch's value: its float32 error
    /// (the golden's own and ours) scales with the map's magnitude, which reaches thousands on the
    /// synthetic noise images (1 ulp at 2048 is 2.4e-4), so it must be within 1e-3 or 1e-5 (the float32 engines' tolerance) of the
    /// map's largest |logit|, whichever is larger. Every difference is printed.
    /// </summary>
    [SkippableFact]
    public void End_to_end_logits_match_the_official_pipeline()
    {
        foreach (var (key, _, _) in OfficialModels.All)
        {
            using Detector detector = Official(key);
            using Detector maxDetector = Detector.Load(Goldens.OfficialCheckpoint(OfficialModels.Get(key).File),
                new DetectorOptions { Preprocess = OfficialModels.Get(key).Preprocess, Pooling = PoolingKind.Max });
            foreach (string name in Goldens.ImageNames)
            {
                string path = Goldens.ImagePath(name);
                double mean = detector.Score(path).Logit, max = maxDetector.Score(path).Logit;
                double dMean = Math.Abs(mean - Goldens.Scalar($"{name}.{key}.logit"));
                double dMax = Math.Abs(max - Goldens.Scalar($"{name}.{key}.max_logit"));
                output.WriteLine($"{key,-16} {Path.GetFileName(path),-38} logit {mean,10:F5} |Δ| {dMean:E2}   max_logit {max,10:F5} |Δ| {dMax:E2}");
                Assert.True(dMean <= 1e-3, $"{name} {key}: |Δ logit| {dMean}");
                double mapScale = Compare.MaxAbs(Goldens.Floats($"{name}.{key}.map"));
                Assert.True(dMax <= Math.Max(1e-3, 1e-5 * mapScale), $"{name} {key}: |Δ max_logit| {dMax} (max |map| {mapScale})");
            }
        }
    }

    [SkippableFact]
    public void Scoring_a_path_bytes_or_pixels_gives_the_same_result()
    {
        using Detector detector = Official("wildrf_tiny");
        string path = Goldens.ImagePath("fake_diffusion_jpg559");
        double fromPath = detector.Score(path).Logit;
        Assert.Equal(fromPath, detector.Score(File.ReadAllBytes(path)).Logit);
        Assert.Equal(fromPath, detector.Score(ImageDecoder.Decode(path)).Logit);
    }

    [Fact]
    public void Patch_map_is_returned_on_request_and_pools_to_the_logit()
    {
        using var detector = Detector.FromStateDict(RandomTiny.StateDict(11));
        var image = new Rgb24Image(256, 256, Enumerable.Range(0, 256 * 256 * 3).Select(i => (byte)(i * 7919 % 251)).ToArray());
        Assert.Null(detector.Score(image).PatchMap);
        DetectionResult result = detector.Score(image, includePatchMap: true);
        Assert.NotNull(result.PatchMap);
        Assert.Equal((126, 126), (result.PatchMap!.Width, result.PatchMap.Height));
        Assert.Equal(result.PatchMap.Logits.Average(v => (double)v), result.Logit, 1e-5 * Math.Max(1, result.PatchMap.Logits.Max(Math.Abs)));
        Assert.Equal(1 / (1 + Math.Exp(-result.Logit)), result.Probability, 12);
        Assert.Equal(result.Logit > 0 ? DetectionLabel.Fake : DetectionLabel.Real, result.Label);
    }

    [Fact]
    public void Native_resolution_scoring_keeps_the_size_and_refuses_images_below_the_receptive_field()
    {
        using var detector = Detector.FromStateDict(RandomTiny.StateDict(12), new DetectorOptions { Resize = false });
        var map = detector.Score(new Rgb24Image(9, 7, new byte[9 * 7 * 3]), includePatchMap: true).PatchMap!;
        Assert.Equal((3, 2), (map.Width, map.Height));
        var ex = Assert.Throws<ImageTooSmallException>(() => detector.Score(new Rgb24Image(6, 40, new byte[6 * 40 * 3])));
        Assert.Contains("6x40", ex.Message);
        Assert.Contains("receptive field", ex.Message);
    }

    [Fact]
    public void Metadata_chooses_preprocessing_and_pooling_and_options_override_it()
    {
        var meta = new ModelMetadata(ModelKind.TinyLaDeDa, PreprocessKind.Npr, PoolingKind.Max).ToDictionary();
        using var fromMeta = Detector.FromStateDict(RandomTiny.StateDict(13, meta));
        Assert.Equal(PreprocessKind.Npr, fromMeta.Metadata.Preprocess);
        Assert.Equal(PoolingKind.Max, fromMeta.Metadata.Pooling);
        Assert.False(fromMeta.PreprocessAssumed);

        using var overridden = Detector.FromStateDict(RandomTiny.StateDict(13, meta), new DetectorOptions { Preprocess = PreprocessKind.XGrad });
        Assert.Equal(PreprocessKind.XGrad, overridden.Metadata.Preprocess);

        using var bare = Detector.FromStateDict(RandomTiny.StateDict(13));
        Assert.Equal(PreprocessKind.RightDiag, bare.Metadata.Preprocess);
        Assert.True(bare.PreprocessAssumed);
    }

    [Fact]
    public void Unknown_metadata_values_are_rejected()
    {
        var ex = Assert.Throws<WeightsFormatException>(() =>
            Detector.FromStateDict(RandomTiny.StateDict(14, new Dictionary<string, string> { ["preprocess"] = "sobel" })));
        Assert.Contains("random.safetensors: metadata 'preprocess' is 'sobel'", ex.Message);
    }

    [Fact]
    public void Default_weights_load_when_embedded_and_name_the_missing_file_otherwise()
    {
        bool shipped = File.Exists(Path.Combine(SharedData.RepoRoot, "weights", "tiny-ladeda.safetensors"));
        if (shipped)
        {
            using var detector = Detector.LoadDefault();
            Assert.Equal(ModelKind.TinyLaDeDa, detector.Metadata.Model);
        }
        else
        {
            var ex = Assert.Throws<DefaultWeightsMissingException>(() => Detector.LoadDefault());
            Assert.StartsWith("weights/tiny-ladeda.safetensors: ", ex.Message);
        }
    }

    [Fact]
    public void A_shared_detector_gives_identical_results_on_many_threads()
    {
        using var detector = Detector.FromStateDict(RandomTiny.StateDict(15), new DetectorOptions { Resize = false });
        var images = Enumerable.Range(0, 8).Select(i =>
        {
            int w = 20 + i * 3, h = 17 + i;
            var rng = new Random(i);
            var px = new byte[w * h * 3];
            rng.NextBytes(px);
            return new Rgb24Image(w, h, px);
        }).ToArray();
        double[] expected = images.Select(img => detector.Score(img).Logit).ToArray();
        var results = new double[64];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => results[i] = detector.Score(images[i % 8]).Logit);
        for (int i = 0; i < results.Length; i++) Assert.Equal(expected[i % 8], results[i]);
    }

    [Fact]
    public void A_disposed_detector_refuses_to_score()
    {
        var detector = Detector.FromStateDict(RandomTiny.StateDict(16));
        detector.Dispose();
        Assert.Throws<ObjectDisposedException>(() => detector.Score(new Rgb24Image(8, 8, new byte[192])));
    }
}
