using Prometheus;

namespace FastLaDeDa.Cli.Serving;

/// <summary>
/// The service's own Prometheus metrics (requests by status and their latency come from
/// prometheus-net's HTTP middleware). Process-wide, as the registry is: one service per process.
/// </summary>
internal static class ServiceMetrics
{
    // Latency buckets from 1 ms to ~16 s: a 0.3 MP JPEG scores in milliseconds, a queued 12 MP PNG in seconds.
    private static readonly double[] SecondsBuckets = Histogram.ExponentialBuckets(0.001, 2, 15);

    private static readonly Histogram Stages = Metrics.CreateHistogram("fastladeda_stage_seconds",
        "Time per image in each stage: read (upload into memory), queue (admitted until a worker takes it), decode (decode and resize to the model's input: a JPEG streams through the resize), score (the network).",
        new HistogramConfiguration { LabelNames = ["stage"], Buckets = SecondsBuckets });

    private static readonly Gauge QueueDepth = Metrics.CreateGauge("fastladeda_queue_depth",
        "Images admitted and not yet taken by a worker (uploads still being read included).");

    private static readonly Histogram BatchSizes = Metrics.CreateHistogram("fastladeda_batch_size",
        "Images a worker took from the queue at one wake-up.",
        new HistogramConfiguration { Buckets = Histogram.LinearBuckets(1, 1, 16) });

    private static readonly Counter Rejections = Metrics.CreateCounter("fastladeda_rejections_total",
        "Requests or images turned away, by reason.", new CounterConfiguration { LabelNames = ["reason"] });

    private static readonly Counter Images = Metrics.CreateCounter("fastladeda_images_total",
        "Images scored or refused by the detector, by outcome (scored, bad_image).", new CounterConfiguration { LabelNames = ["outcome"] });

    /// <summary>Records the time one image spent in <paramref name="stage"/> (read, queue, decode, score).</summary>
    public static void Stage(string stage, TimeSpan elapsed) => Stages.WithLabels(stage).Observe(elapsed.TotalSeconds);

    /// <summary>Sets the number of images admitted and not yet taken by a worker.</summary>
    public static void SetQueueDepth(int depth) => QueueDepth.Set(depth);

    /// <summary>Records how many images a worker took at once.</summary>
    public static void Batch(int size) => BatchSizes.Observe(size);

    /// <summary>Counts a rejection.</summary>
    public static void Rejected(RejectionReason reason) => Rejections.WithLabels(ReasonName(reason)).Inc();

    /// <summary>Counts an image the detector scored (true) or refused (false).</summary>
    public static void Scored(bool success) => Images.WithLabels(success ? "scored" : "bad_image").Inc();

    private static string ReasonName(RejectionReason reason) => reason switch
    {
        RejectionReason.QueueFull => "queue_full",
        RejectionReason.TooLarge => "too_large",
        RejectionReason.BadImage => "bad_image",
        RejectionReason.Timeout => "timeout",
        RejectionReason.Unauthorized => "unauthorized",
        RejectionReason.ClientGone => "client_gone",
        _ => "stopping",
    };
}
