using FastLaDeDa.Evaluation;
using FastLaDeDa.Tests.Cli;

namespace FastLaDeDa.Tests.Evaluation;

/// <summary>The temperature fit against a brute-force grid and against data drawn from a known temperature.</summary>
public class TemperatureScalingTests
{
    /// <summary>Logits z ~ N(0, 3²) and labels drawn with P(fake) = sigmoid(z / T0): the fit should find T0.</summary>
    private static (double[] Logits, bool[] IsFake) Drawn(double t0, int n, int seed)
    {
        var random = new Random(seed);
        var logits = new double[n];
        var isFake = new bool[n];
        for (int i = 0; i < n; i++)
        {
            double z = 3 * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            logits[i] = z;
            isFake[i] = random.NextDouble() < 1 / (1 + Math.Exp(-z / t0));
        }
        return (logits, isFake);
    }

    [Theory]
    [InlineData(0.4)]
    [InlineData(1.0)]
    [InlineData(2.5)]
    [InlineData(7.0)]
    public void Recovers_the_temperature_the_labels_were_drawn_with(double t0)
    {
        var (logits, isFake) = Drawn(t0, 40_000, 11);
        // Symmetric logits keep the classes near balanced, so the balanced fit is the plain maximum likelihood.
        Assert.InRange(TemperatureScaling.Fit(logits, isFake) / t0, 0.93, 1.07);
    }

    [Fact]
    public void Finds_the_minimum_the_brute_force_grid_finds()
    {
        var (logits, isFake) = Drawn(1.7, 300, 5);
        double fitted = TemperatureScaling.Fit(logits, isFake);
        var grid = CalibrateCommandTests.GridTemperature(logits, isFake);
        Assert.InRange(fitted / grid.Temperature, 0.9995, 1.0005);
        Assert.True(TemperatureScaling.NegativeLogLikelihood(logits, isFake, fitted) <= grid.Nll + 1e-12);
        // Calibration lowers the NLL against T = 1 unless 1 is already optimal.
        Assert.True(TemperatureScaling.NegativeLogLikelihood(logits, isFake, fitted) <= TemperatureScaling.NegativeLogLikelihood(logits, isFake, 1));
    }

    [Fact]
    public void Separated_classes_drive_the_temperature_to_its_lower_bound_and_one_class_is_refused()
    {
        Assert.Equal(TemperatureScaling.Min, TemperatureScaling.Fit([-2.0, -1.0, 1.0, 3.0], [false, false, true, true]), 6);
        Assert.Throws<ArgumentException>(() => TemperatureScaling.Fit([1.0, 2.0], [true, true]));
        Assert.Throws<ArgumentException>(() => TemperatureScaling.Fit([1.0], [true, false]));
    }

    [Fact]
    public void Expected_calibration_error_matches_a_hand_count()
    {
        // Logits 0 → P 0.5 (bin 5), ln 3 → P 0.75 (bin 7). Bin 5: one real, one fake (each class half):
        // weights 0.25 + 0.25, fraction fake 0.25, mean P 0.25 → 0. Bin 7: one fake (0.25) and one real (0.25),
        // fake weight 0.25, confidence 0.5 · 0.75 = 0.375 → |0.25 − 0.375| = 0.125.
        double[] logits = [0, 0, Math.Log(3), Math.Log(3)];
        bool[] isFake = [false, true, false, true];
        Assert.Equal(0.125, TemperatureScaling.ExpectedCalibrationError(logits, isFake, 1), 12);
        // At T = 2 the second pair's P is sigmoid(ln 3 / 2) = √3 / (1 + √3) ≈ 0.634 (bin 6).
        double p = Math.Sqrt(3) / (1 + Math.Sqrt(3));
        Assert.Equal(Math.Abs(0.25 - 0.5 * p), TemperatureScaling.ExpectedCalibrationError(logits, isFake, 2), 12);
    }
}
