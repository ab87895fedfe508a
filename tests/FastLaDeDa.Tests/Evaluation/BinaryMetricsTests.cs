using FastLaDeDa.Evaluation;

namespace FastLaDeDa.Tests.Evaluation;

/// <summary>
/// Metrics against values computed by hand from PROTOCOL.md's definitions (scikit-learn's
/// average_precision_score / roc_auc_score semantics), with ties inside and across classes.
/// Scores are logits; any monotonic score gives the same AP/AUC.
/// </summary>
public class BinaryMetricsTests
{
    private static (double[] Scores, bool[] Labels) Data(double[] scores, int[] labels) => (scores, labels.Select(l => l == 1).ToArray());

    // Each case: scores, labels (1 = fake), expected AP, expected AUC — worked out below.
    public static TheoryData<double[], int[], double, double> Cases() => new()
    {
        // scikit-learn's documentation example: AP 0.8333, AUC 0.75.
        { [0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1], 5.0 / 6, 0.75 },
        // A tie across classes at 0.8. Thresholds 0.9: P=1, R=1/2; 0.8: P=2/3, R=1; 0.3: R unchanged.
        // AP = 1/2·1 + 1/2·2/3 = 5/6. AUC pairs (pos, neg): (.9,.8)=1 (.9,.3)=1 (.8,.8)=½ (.8,.3)=1 → 3.5/4.
        { [0.9, 0.8, 0.8, 0.3], [1, 0, 1, 0], 5.0 / 6, 0.875 },
        // Everything tied: one threshold, P=1/2, R=1 → AP 1/2; AUC 1/2.
        { [0.5, 0.5, 0.5, 0.5], [1, 0, 1, 0], 0.5, 0.5 },
        // A tie of one real and two fakes at the top: threshold 1: P=2/3, R=2/3; threshold 0: P=3/4, R=1.
        // AP = 2/3·2/3 + 1/3·3/4 = 25/36. AUC: pos {1,1,0} vs neg {1}: ½+½+0 → 1/3.
        { [1, 1, 1, 0], [0, 1, 1, 1], 25.0 / 36, 1.0 / 3 },
        // Perfect ranking: AP 1, AUC 1; inverted: AP = 1/3·1/3 + ... computed: thresholds .9(real) .8(real) .2(fake) .1(fake):
        // at .2: P=1/3, R=1/2; at .1: P=2/4, R=1 → AP = 1/2·1/3 + 1/2·1/2 = 5/12; AUC 0.
        { [0.2, 0.1, 0.9, 0.8], [1, 1, 0, 0], 5.0 / 12, 0 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Average_precision_and_auc_match_the_hand_computed_values(double[] scores, int[] labels, double ap, double auc)
    {
        var (s, l) = Data(scores, labels);
        Assert.Equal(ap, BinaryMetrics.AveragePrecision(s, l)!.Value, 12);
        Assert.Equal(auc, BinaryMetrics.Auc(s, l)!.Value, 12);
        // Order of the input must not matter.
        var reversed = (s.Reverse().ToArray(), l.Reverse().ToArray());
        Assert.Equal(ap, BinaryMetrics.AveragePrecision(reversed.Item1, reversed.Item2)!.Value, 12);
        Assert.Equal(auc, BinaryMetrics.Auc(reversed.Item1, reversed.Item2)!.Value, 12);
    }

    [Fact]
    public void Accuracies_use_the_probability_threshold_strictly()
    {
        double[] logits = [2, 0, -1, 3, -2];   // probabilities .88 .5 .27 .95 .12
        bool[] fake = [true, true, false, false, false];
        Assert.Equal(3.0 / 5, BinaryMetrics.Accuracy(logits, fake)!.Value, 12);  // 0 is not > 0.5: a fake missed; 3 a real missed
        Assert.Equal(1.0 / 2, BinaryMetrics.FakeAccuracy(logits, fake)!.Value, 12);
        Assert.Equal(2.0 / 3, BinaryMetrics.RealAccuracy(logits, fake)!.Value, 12);
        Assert.Equal(4.0 / 5, BinaryMetrics.Accuracy(logits, fake, threshold: 0.4)!.Value, 12); // now the 0.5 fake counts
        Assert.Null(BinaryMetrics.RealAccuracy([1.0], [true]));
    }

    [Fact]
    public void Ranking_metrics_are_undefined_with_one_class()
    {
        Assert.Null(BinaryMetrics.AveragePrecision([1.0, 2.0], [true, true]));
        Assert.Null(BinaryMetrics.Auc([1.0, 2.0], [false, false]));
        Assert.Null(BinaryMetrics.AveragePrecision([], []));
    }

    [Fact]
    public void The_best_threshold_maximises_accuracy()
    {
        // Fakes score 1..3, reals 2 and -1: the best cut is "fake above 1" → 4 of 5... check: above 1 → {2(f),3(f),2(r)} fake,
        // {1(f),-1(r)} real → correct f2,f3,r-1 = 3; above 2 → {3} fake: correct f3, r2, r-1 = 3; above -1 → all but -1 fake: f1,f2,f3,r-1 = 4.
        double[] logits = [1, 2, 3, 2, -1];
        bool[] fake = [true, true, true, false, false];
        var best = BinaryMetrics.BestThreshold(logits, fake)!.Value;
        Assert.Equal(4.0 / 5, best.Accuracy, 12);
        Assert.Equal(BinaryMetrics.Sigmoid(-1), best.Threshold, 12);
        Assert.Equal(best.Accuracy, BinaryMetrics.Accuracy(logits, fake, best.Threshold)!.Value, 12);
    }

    [Fact]
    public void The_mean_row_averages_defined_metrics_and_sums_counts()
    {
        var a = SetMetrics.Compute("a", [1.0, -1.0], [true, false]);
        var b = SetMetrics.Compute("b", [1.0, 2.0], [true, true]);
        var mean = SetMetrics.Mean([a, b]);
        Assert.Equal((1, 3), (mean.RealCount, mean.FakeCount));
        Assert.Equal(1.0, mean.Accuracy);
        Assert.Equal(1.0, mean.AveragePrecision); // b's AP is undefined and left out
        Assert.Null(b.AveragePrecision);
    }
}
