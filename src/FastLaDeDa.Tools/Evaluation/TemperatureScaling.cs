using FastLaDeDa.Models;

namespace FastLaDeDa.Evaluation;

/// <summary>
/// Temperature scaling (Guo et al. 2017) for a binary detector: one T &gt; 0 so that
/// P(fake) = sigmoid(logit / T) matches how often images at that probability are fake on validation
/// images. T is fitted by minimising the negative log-likelihood with each class weighing half (as
/// the threshold's balanced accuracy does: a validation set's class sizes say nothing about the field).
/// Dividing by T keeps the ranking, so AP, AUC and every label at a threshold moved with it are unchanged.
/// </summary>
internal static class TemperatureScaling
{
    /// <summary>The smallest temperature the weights' metadata accepts.</summary>
    public const double Min = ModelMetadata.MinTemperature;

    /// <summary>The largest temperature the weights' metadata accepts.</summary>
    public const double Max = ModelMetadata.MaxTemperature;

    /// <summary>
    /// The temperature in [<see cref="Min"/>, <see cref="Max"/>] with the smallest class-balanced NLL.
    /// The NLL is convex in 1/T (a logistic loss of a·logit), so a golden-section search over 1/T finds
    /// the optimum; scores that separate the classes perfectly drive T to <see cref="Min"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The lists differ in length or lack one class.</exception>
    public static double Fit(IReadOnlyList<double> logits, IReadOnlyList<bool> isFake)
    {
        var weights = ClassWeights(logits, isFake);
        double lo = 1 / Max, hi = 1 / Min;
        double ratio = (Math.Sqrt(5) - 1) / 2;
        double a = hi - ratio * (hi - lo), b = lo + ratio * (hi - lo);
        double fa = Nll(logits, isFake, weights, a), fb = Nll(logits, isFake, weights, b);
        for (int i = 0; i < 200 && hi - lo > 1e-12 * hi; i++)
        {
            if (fa <= fb)
            {
                (hi, b, fb) = (b, a, fa);
                a = hi - ratio * (hi - lo);
                fa = Nll(logits, isFake, weights, a);
            }
            else
            {
                (lo, a, fa) = (a, b, fb);
                b = lo + ratio * (hi - lo);
                fb = Nll(logits, isFake, weights, b);
            }
        }
        return Math.Clamp(1 / ((lo + hi) / 2), Min, Max);
    }

    /// <summary>The class-balanced negative log-likelihood (nats per image) of P = sigmoid(logit / T).</summary>
    public static double NegativeLogLikelihood(IReadOnlyList<double> logits, IReadOnlyList<bool> isFake, double temperature) =>
        Nll(logits, isFake, ClassWeights(logits, isFake), 1 / temperature);

    /// <summary>
    /// The class-balanced expected calibration error of P = sigmoid(logit / T) over
    /// <paramref name="bins"/> equal-width probability bins: Σ_bin weight · |fraction fake − mean P|.
    /// </summary>
    public static double ExpectedCalibrationError(IReadOnlyList<double> logits, IReadOnlyList<bool> isFake, double temperature, int bins = 10)
    {
        var weights = ClassWeights(logits, isFake);
        var weight = new double[bins];
        var fake = new double[bins];
        var confidence = new double[bins];
        for (int i = 0; i < logits.Count; i++)
        {
            double p = BinaryMetrics.Sigmoid(logits[i] / temperature);
            int bin = Math.Min(bins - 1, (int)(p * bins));
            double w = weights[isFake[i] ? 1 : 0];
            weight[bin] += w;
            confidence[bin] += w * p;
            if (isFake[i]) fake[bin] += w;
        }
        double error = 0;
        for (int bin = 0; bin < bins; bin++)
            if (weight[bin] > 0) error += Math.Abs(fake[bin] - confidence[bin]);
        return error;
    }

    // Each class weighs half: weight[0] per real image, weight[1] per fake image.
    private static double[] ClassWeights(IReadOnlyList<double> logits, IReadOnlyList<bool> isFake)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(isFake);
        if (logits.Count != isFake.Count) throw new ArgumentException("one label per score");
        int fakes = isFake.Count(f => f), reals = isFake.Count - fakes;
        if (fakes == 0 || reals == 0) throw new ArgumentException("a temperature needs validation images of both classes");
        return [0.5 / reals, 0.5 / fakes];
    }

    // −log sigmoid(±a·z), written so it neither overflows nor loses precision for large |a·z|.
    private static double Nll(IReadOnlyList<double> logits, IReadOnlyList<bool> isFake, double[] weights, double inverseTemperature)
    {
        double sum = 0;
        for (int i = 0; i < logits.Count; i++)
        {
            double margin = (isFake[i] ? 1 : -1) * inverseTemperature * logits[i];
            sum += weights[isFake[i] ? 1 : 0] * (Math.Max(-margin, 0) + Log1PlusSmall(Math.Exp(-Math.Abs(margin))));
        }
        return sum;
    }

    // log(1 + x) for 0 ≤ x ≤ 1, exact to rounding for tiny x too (double.LogP1 computes log(1 + x),
    // which is 0 below x ≈ 1e-16 and would make every confident score look equally good).
    private static double Log1PlusSmall(double x) => x < 1e-4 ? x * (1 - x * (0.5 - x / 3)) : Math.Log(1 + x);
}
