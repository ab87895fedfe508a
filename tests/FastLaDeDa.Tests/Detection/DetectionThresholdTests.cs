using System.Globalization;
using FastLaDeDa.Detection;
using FastLaDeDa.Errors;
using FastLaDeDa.Imaging;
using FastLaDeDa.Models;
using FastLaDeDa.Tests.Support;
using FastLaDeDa.Weights;

namespace FastLaDeDa.Tests.Detection;

/// <summary>
/// The decision threshold: the weights' calibrated <c>threshold</c> metadata, <see cref="DetectorOptions.Threshold"/>
/// over it, 0.5 without either — and the one rule, fake when logit &gt; log(t / (1 − t)).
/// </summary>
public class DetectionThresholdTests
{
    private static readonly Rgb24Image Image = new(64, 48, Enumerable.Range(0, 64 * 48 * 3).Select(i => (byte)(i * 7919 % 251)).ToArray());

    private static Dictionary<string, string> Meta(string threshold) =>
        new(new ModelMetadata(ModelKind.TinyLaDeDa, FastLaDeDa.Preprocessing.PreprocessKind.RightDiag, PoolingKind.Mean).ToDictionary())
        {
            [ModelMetadata.ThresholdKey] = threshold,
        };

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    [Fact]
    public void The_weights_threshold_is_the_detectors_and_every_result_is_judged_at_it()
    {
        using var detector = Detector.FromStateDict(RandomTiny.StateDict(21, Meta("0.8125")));
        Assert.Equal(0.8125, detector.Threshold);
        Assert.Equal(ThresholdSource.Weights, detector.ThresholdSource);
        DetectionResult result = detector.Score(Image);
        Assert.Equal(0.8125, result.Threshold);
        Assert.Equal(result.Logit > Math.Log(0.8125 / 0.1875) ? DetectionLabel.Fake : DetectionLabel.Real, result.Label);
        Assert.Equal(0.8125, detector.Score(Image, includePatchMap: true).Threshold);
        Assert.All(detector.ScoreBatch([Image, Image]), r => Assert.Equal(0.8125, r.Threshold));
    }

    [Fact]
    public void Labels_flip_at_the_threshold_a_hair_below_and_above_the_images_logit()
    {
        double logit;
        using (var plain = Detector.FromStateDict(RandomTiny.StateDict(22))) logit = plain.Score(Image).Logit;
        double p = Sigmoid(logit);
        Assert.InRange(p, 1e-6, 1 - 1e-6); // the test needs an image that is not saturated

        // The threshold just below the image's probability: fake; just above: real.
        string below = ModelMetadata.FormatNumber(Sigmoid(logit - 1e-6)), above = ModelMetadata.FormatNumber(Sigmoid(logit + 1e-6));
        using var lower = Detector.FromStateDict(RandomTiny.StateDict(22, Meta(below)));
        using var upper = Detector.FromStateDict(RandomTiny.StateDict(22, Meta(above)));
        Assert.Equal(logit, lower.Score(Image).Logit);
        Assert.Equal(DetectionLabel.Fake, lower.Score(Image).Label);
        Assert.Equal(DetectionLabel.Real, upper.Score(Image).Label);
    }

    [Theory]
    [InlineData(0.8)]
    [InlineData(0.2)]
    [InlineData(0.999)]
    [InlineData(1e-4)]
    public void At_the_boundary_logit_itself_the_label_is_real_and_one_ulp_above_it_is_fake(double threshold)
    {
        double cut = Math.Log(threshold / (1 - threshold));
        Assert.Equal(DetectionLabel.Real, new DetectionResult(Math.BitDecrement(cut), null, threshold).Label);
        Assert.Equal(DetectionLabel.Real, new DetectionResult(cut, null, threshold).Label);
        Assert.Equal(DetectionLabel.Fake, new DetectionResult(Math.BitIncrement(cut), null, threshold).Label);
        Assert.Equal(threshold, new DetectionResult(cut, null, threshold).Threshold);
    }

    [Fact]
    public void The_default_half_reproduces_logit_above_zero_exactly()
    {
        double[] logits = [-1e-9, -0.0, 0.0, 1e-9, double.Epsilon, -double.Epsilon, 1e-300, -1e-300, 3.5, -3.5, double.PositiveInfinity, double.NegativeInfinity];
        foreach (double logit in logits)
        {
            var expected = logit > 0 ? DetectionLabel.Fake : DetectionLabel.Real;
            Assert.Equal(expected, new DetectionResult(logit).Label);
            Assert.Equal(expected, new DetectionResult(logit, null, 0.5).Label);
            Assert.Equal(expected, (default(DetectionResult) with { Logit = logit }).Label);
        }
        Assert.Equal(DetectionLabel.Real, new DetectionResult(0.0).Label);
        Assert.Equal(DetectionLabel.Fake, new DetectionResult(1e-9).Label);
        Assert.Equal(0.5, new DetectionResult(1).Threshold);
        Assert.Equal(0.5, default(DetectionResult).Threshold);
        Assert.Equal(new DetectionResult(1.25), new DetectionResult(1.25, null, 0.5));

        using var detector = Detector.FromStateDict(RandomTiny.StateDict(23));
        Assert.Equal(0.5, detector.Threshold);
        Assert.Equal(ThresholdSource.Default, detector.ThresholdSource);
        DetectionResult scored = detector.Score(Image);
        Assert.Equal(scored.Logit > 0 ? DetectionLabel.Fake : DetectionLabel.Real, scored.Label);
    }

    [Fact]
    public void Options_override_the_weights_threshold()
    {
        using var detector = Detector.FromStateDict(RandomTiny.StateDict(24, Meta("0.7")), new DetectorOptions { Threshold = 0.3 });
        Assert.Equal(0.3, detector.Threshold);
        Assert.Equal(ThresholdSource.Options, detector.ThresholdSource);
        Assert.Equal(0.3, detector.Score(Image).Threshold);

        using var noMeta = Detector.FromStateDict(RandomTiny.StateDict(24), new DetectorOptions { Threshold = 0.5 });
        Assert.Equal(ThresholdSource.Options, noMeta.ThresholdSource);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(-0.25)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Options_and_results_refuse_a_threshold_outside_zero_to_one(double threshold)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new DetectorOptions { Threshold = threshold });
        Assert.Equal(nameof(DetectorOptions.Threshold), ex.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new DetectionResult(0, null, threshold));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1")]
    [InlineData("1.5")]
    [InlineData("-0.1")]
    [InlineData("0,5")]
    [InlineData("half")]
    [InlineData("")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    public void A_malformed_or_out_of_range_metadata_threshold_is_a_weights_error_naming_file_key_and_value(string value)
    {
        var ex = Assert.Throws<WeightsFormatException>(() => Detector.FromStateDict(RandomTiny.StateDict(25, Meta(value))));
        Assert.StartsWith($"random.safetensors: metadata 'threshold' is '{value}'", ex.Message);
        Assert.Contains("between 0 and 1", ex.Message);
    }

    [Fact]
    public void A_temperature_rescales_the_probability_and_the_threshold_stays_a_threshold_on_it()
    {
        double logit;
        using (var plain = Detector.FromStateDict(RandomTiny.StateDict(26))) logit = plain.Score(Image).Logit;
        var meta = Meta("0.6");
        meta[ModelMetadata.TemperatureKey] = "2.5";
        using var detector = Detector.FromStateDict(RandomTiny.StateDict(26, meta));
        Assert.Equal(2.5, detector.Temperature);
        DetectionResult result = detector.Score(Image);
        Assert.Equal(logit, result.Logit); // the logit is the network's, untouched
        Assert.Equal(2.5, result.Temperature);
        Assert.Equal(Sigmoid(logit / 2.5), result.Probability, 15);
        Assert.Equal(result.Probability > 0.6 ? DetectionLabel.Fake : DetectionLabel.Real, result.Label);
        Assert.Equal(result.Logit > 2.5 * Math.Log(0.6 / 0.4) ? DetectionLabel.Fake : DetectionLabel.Real, result.Label);

        // Thresholds a hair either side of the image's own probability at T flip its label; options read at T too.
        double p = Sigmoid(logit / 2.5);
        using var below = Detector.FromStateDict(RandomTiny.StateDict(26, meta), new DetectorOptions { Threshold = p - 1e-7 });
        using var above = Detector.FromStateDict(RandomTiny.StateDict(26, meta), new DetectorOptions { Threshold = p + 1e-7 });
        Assert.Equal(DetectionLabel.Fake, below.Score(Image).Label);
        Assert.Equal(DetectionLabel.Real, above.Score(Image).Label);

        // Without the key: T = 1, the plain sigmoid; at 0.5 the rule is logit > 0 whatever T is.
        using var untempered = Detector.FromStateDict(RandomTiny.StateDict(26));
        Assert.Equal(1.0, untempered.Temperature);
        Assert.Equal(1.0, default(DetectionResult).Temperature);
        Assert.Equal(Sigmoid(logit), untempered.Score(Image).Probability);
        var half = Meta("0.5");
        half[ModelMetadata.TemperatureKey] = "0.37";
        using var halfDetector = Detector.FromStateDict(RandomTiny.StateDict(26, half));
        Assert.Equal(logit > 0 ? DetectionLabel.Fake : DetectionLabel.Real, halfDetector.Score(Image).Label);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("0.001")]
    [InlineData("1000")]
    [InlineData("NaN")]
    [InlineData("warm")]
    public void A_malformed_or_out_of_range_temperature_is_a_weights_error_naming_file_key_and_value(string value)
    {
        var meta = Meta("0.5");
        meta[ModelMetadata.TemperatureKey] = value;
        var ex = Assert.Throws<WeightsFormatException>(() => Detector.FromStateDict(RandomTiny.StateDict(27, meta)));
        Assert.StartsWith($"random.safetensors: metadata 'temperature' is '{value}'", ex.Message);
    }

    [Fact]
    public void The_metadata_threshold_is_invariant_culture_and_round_trips_through_a_file()
    {
        var culture = CultureInfo.CurrentCulture;
        try
        {
            var comma = (CultureInfo)CultureInfo.InvariantCulture.Clone(); // a decimal-comma culture (the build is culture-invariant)
            comma.NumberFormat.NumberDecimalSeparator = ",";
            comma.NumberFormat.NumberGroupSeparator = ".";
            CultureInfo.CurrentCulture = comma;
            double threshold = 0.1 + 0.2; // 0.30000000000000004: needs every digit
            string text = ModelMetadata.FormatNumber(threshold);
            Assert.Equal("0.30000000000000004", text);
            Assert.Equal(0.25, ModelMetadata.ParseThreshold(new Dictionary<string, string> { ["threshold"] = "0.25" }, null));
            Assert.Equal(0.25, ModelMetadata.ParseThreshold(new Dictionary<string, string> { ["threshold"] = "2.5e-1" }, null));
            Assert.Null(ModelMetadata.ParseThreshold(new Dictionary<string, string>(), null));

            using var dir = new TempDirectory();
            string path = dir.File("calibrated.safetensors");
            SafeTensors.Write(path, new StateDict(RandomTiny.Tensors(26), Meta(text)));
            using var detector = Detector.Load(path);
            Assert.Equal(threshold, detector.Threshold);
            Assert.Equal(ThresholdSource.Weights, detector.ThresholdSource);
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }
}
