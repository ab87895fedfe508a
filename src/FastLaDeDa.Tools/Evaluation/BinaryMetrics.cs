namespace FastLaDeDa.Evaluation;

/// <summary>
/// The paper's metrics, exactly as PROTOCOL.md defines them, over (score, label) pairs where fake
/// is the positive class and a higher score means more fake. Scores are logits; a probability
/// threshold p means "fake when sigmoid(logit) &gt; p".
/// </summary>
internal static class BinaryMetrics
{
    /// <summary>Fraction of images classified correctly at <paramref name="threshold"/>; null when there are none.</summary>
    public static double? Accuracy(ReadOnlySpan<double> logits, ReadOnlySpan<bool> isFake, double threshold = 0.5) =>
        CountCorrect(logits, isFake, threshold, realOnly: false, fakeOnly: false);

    /// <summary>Fraction of real images classified real; null when there are none.</summary>
    public static double? RealAccuracy(ReadOnlySpan<double> logits, ReadOnlySpan<bool> isFake, double threshold = 0.5) =>
        CountCorrect(logits, isFake, threshold, realOnly: true, fakeOnly: false);

    /// <summary>Fraction of fake images classified fake; null when there are none.</summary>
    public static double? FakeAccuracy(ReadOnlySpan<double> logits, ReadOnlySpan<bool> isFake, double threshold = 0.5) =>
        CountCorrect(logits, isFake, threshold, realOnly: false, fakeOnly: true);

    /// <summary>
    /// Average precision as scikit-learn's <c>average_precision_score</c> computes it: sort by score
    /// descending, AP = Σ (R_n − R_{n−1}) · P_n over the distinct score thresholds (tied scores are
    /// one threshold), no interpolation. Null (undefined as a ranking metric) unless both classes occur.
    /// </summary>
    public static double? AveragePrecision(ReadOnlySpan<double> logits, ReadOnlySpan<bool> isFake)
    {
        CheckLengths(logits, isFake);
        int positives = Count(isFake, true);
        if (positives == 0 || positives == isFake.Length) return null;
        int[] order = DescendingOrder(logits);
        double ap = 0, previousRecall = 0;
        int truePositives = 0;
        for (int k = 0; k < order.Length; k++)
        {
            if (isFake[order[k]]) truePositives++;
            // Only at the last member of a group of tied scores is a threshold complete.
            if (k + 1 < order.Length && logits[order[k + 1]] == logits[order[k]]) continue;
            double recall = (double)truePositives / positives;
            double precision = (double)truePositives / (k + 1);
            ap += (recall - previousRecall) * precision;
            previousRecall = recall;
        }
        return ap;
    }

    /// <summary>
    /// Area under the ROC curve: the probability that a random fake scores above a random real,
    /// ties counted as half (Mann–Whitney U with average ranks). Null unless both classes occur.
    /// </summary>
    public static double? Auc(ReadOnlySpan<double> logits, ReadOnlySpan<bool> isFake)
    {
        CheckLengths(logits, isFake);
        int positives = Count(isFake, true), negatives = isFake.Length - positives;
        if (positives == 0 || negatives == 0) return null;
        int[] order = DescendingOrder(logits);
        // Ascending average ranks: rank(i) = n − (position in descending order), ties averaged.
        double rankSum = 0;
        int n = order.Length;
        for (int start = 0; start < n;)
        {
            int end = start;
            while (end + 1 < n && logits[order[end + 1]] == logits[order[start]]) end++;
            double averageRank = n - (start + end) / 2.0; // ranks n−start … n−end, averaged
            for (int k = start; k <= end; k++)
                if (isFake[order[k]]) rankSum += averageRank;
            start = end + 1;
        }
        return (rankSum - positives * (positives + 1) / 2.0) / ((double)positives * negatives);
    }

    /// <summary>
    /// The probability threshold that maximises accuracy on these scores, with that accuracy.
    /// Candidates are "everything fake" and each distinct score (fake when strictly above it); the
    /// lowest threshold wins ties. Null when there are no scores.
    /// </summary>
    public static (double Threshold, double Accuracy)? BestThreshold(ReadOnlySpan<double> logits, ReadOnlySpan<bool> isFake)
    {
        CheckLengths(logits, isFake);
        if (logits.IsEmpty) return null;
        int[] order = DescendingOrder(logits);
        // Threshold below every score: all predicted fake.
        int correct = Count(isFake, true), best = correct;
        double bestLogit = double.NegativeInfinity;
        // Walking from the lowest score up, each step turns a group of tied images into "real".
        for (int k = order.Length - 1; k >= 0;)
        {
            double value = logits[order[k]];
            for (; k >= 0 && logits[order[k]] == value; k--) correct += isFake[order[k]] ? -1 : 1;
            if (correct > best) (best, bestLogit) = (correct, value);
        }
        return (Sigmoid(bestLogit), (double)best / logits.Length);
    }

    /// <summary>sigmoid(x) = P(fake) for a logit.</summary>
    public static double Sigmoid(double logit) => 1.0 / (1.0 + Math.Exp(-logit));

    private static double? CountCorrect(ReadOnlySpan<double> logits, ReadOnlySpan<bool> isFake, double threshold, bool realOnly, bool fakeOnly)
    {
        CheckLengths(logits, isFake);
        if (threshold is <= 0 or >= 1 || double.IsNaN(threshold)) throw new ArgumentOutOfRangeException(nameof(threshold), "a probability threshold must lie strictly between 0 and 1");
        int total = 0, correct = 0;
        for (int i = 0; i < logits.Length; i++)
        {
            if ((realOnly && isFake[i]) || (fakeOnly && !isFake[i])) continue;
            total++;
            if ((Sigmoid(logits[i]) > threshold) == isFake[i]) correct++;
        }
        return total == 0 ? null : (double)correct / total;
    }

    private static int[] DescendingOrder(ReadOnlySpan<double> logits)
    {
        if (HasNaN(logits)) throw new ArgumentException("scores must not be NaN", nameof(logits));
        double[] keys = new double[logits.Length];
        for (int i = 0; i < keys.Length; i++) keys[i] = -logits[i];
        int[] order = Enumerable.Range(0, keys.Length).ToArray();
        // The order within a group of tied scores does not matter: every metric treats a tie group as one threshold.
        Array.Sort(keys, order);
        return order;
    }

    private static bool HasNaN(ReadOnlySpan<double> values)
    {
        foreach (double v in values) if (double.IsNaN(v)) return true;
        return false;
    }

    private static int Count(ReadOnlySpan<bool> values, bool value)
    {
        int count = 0;
        foreach (bool v in values) if (v == value) count++;
        return count;
    }

    private static void CheckLengths(ReadOnlySpan<double> logits, ReadOnlySpan<bool> isFake)
    {
        if (logits.Length != isFake.Length) throw new ArgumentException("one label per score");
    }
}
