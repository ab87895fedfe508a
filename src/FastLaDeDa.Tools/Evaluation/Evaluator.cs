using FastLaDeDa.Detection;
using FastLaDeDa.Errors;

namespace FastLaDeDa.Evaluation;

/// <summary>
/// Scores every image of some evaluation sets with one shared <see cref="Detector"/> on several
/// threads and computes the per-set metrics. Memory stays bounded: each worker reads, decodes and
/// scores one file at a time and keeps only its logit.
/// </summary>
internal sealed class Evaluator
{
    private readonly Detector _detector;

    /// <summary>Creates an evaluator around a loaded detector (not disposed by the evaluator).</summary>
    public Evaluator(Detector detector) => _detector = detector ?? throw new ArgumentNullException(nameof(detector));

    /// <summary>Worker threads; -1 (default) uses every core.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    /// <summary>
    /// When false (default) the first image that cannot be read or decoded stops the run and its
    /// exception propagates (it names the file); when true such images are recorded and left out
    /// of the metrics.
    /// </summary>
    public bool SkipBadImages { get; init; }

    /// <summary>
    /// Optional change to an image's file bytes before scoring (e.g. a JPEG re-encode); receives
    /// the image and its bytes, returns the bytes to score.
    /// </summary>
    public Func<LabeledImage, byte[], byte[]>? Transform { get; init; }

    /// <summary>Scores the sets and computes their metrics at <paramref name="threshold"/> (a probability of P(fake) at the detector's temperature).</summary>
    /// <exception cref="FastLaDeDaException">An image failed and <see cref="SkipBadImages"/> is off.</exception>
    /// <exception cref="IOException">An image could not be read and <see cref="SkipBadImages"/> is off.</exception>
    public EvaluationRun Run(IReadOnlyList<EvaluationSet> sets, double threshold = 0.5, IProgress<int>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(sets);
        var items = sets.SelectMany(s => s.Images.Select(image => (Set: s.Name, Image: image))).ToArray();
        var scores = new ImageScore?[items.Length];
        int done = 0;
        Exception? firstFailure = null;
        int firstFailureIndex = int.MaxValue;
        var options = new ParallelOptions { MaxDegreeOfParallelism = MaxDegreeOfParallelism, CancellationToken = cancellation };
        Parallel.For(0, items.Length, options, (i, loop) =>
        {
            var (set, image) = items[i];
            try
            {
                double logit;
                if (Transform is null)
                {
                    logit = _detector.Score(image.Path).Logit; // pooled read, streaming decode
                }
                else
                {
                    byte[] bytes = Transform(image, File.ReadAllBytes(image.Path));
                    logit = _detector.Score(bytes, sourceName: image.Path).Logit;
                }
                scores[i] = new ImageScore(set, image, logit, null);
            }
            catch (Exception ex) when (ex is FastLaDeDaException or IOException or UnauthorizedAccessException)
            {
                scores[i] = new ImageScore(set, image, null, Describe(ex, image.Path));
                if (!SkipBadImages)
                {
                    lock (scores)
                        if (i < firstFailureIndex) (firstFailure, firstFailureIndex) = (ex, i);
                    loop.Stop();
                }
            }
            progress?.Report(Interlocked.Increment(ref done));
        });
        if (firstFailure is not null)
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(firstFailure).Throw();

        var all = scores.Select(s => s!).ToList();
        double temperature = _detector.Temperature;
        var perSet = sets.Select(s => EvaluationRun.Metrics(s.Name, all.Where(x => x.Set == s.Name), threshold, temperature)).ToList();
        return new EvaluationRun(all, perSet, SetMetrics.Mean(perSet), threshold, temperature);
    }

    private static string Describe(Exception ex, string path) => ex switch
    {
        FastLaDeDaException f => f.FilePath is null ? $"{path}: {f.Cause}" : f.Message,
        FileNotFoundException => $"{path}: file not found",
        UnauthorizedAccessException => $"{path}: permission denied",
        _ => $"{path}: {ex.Message}",
    };
}
