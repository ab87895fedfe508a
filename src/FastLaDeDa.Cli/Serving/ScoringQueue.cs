using System.Threading.Channels;
using FastLaDeDa.Detection;
using Microsoft.Extensions.Logging;

namespace FastLaDeDa.Cli.Serving;

/// <summary>
/// The bounded queue between the HTTP handlers and the scoring workers. A request takes a slot
/// before it reads an image (<see cref="TryAdmit"/>), so at most <see cref="ServeSettings.MaxQueue"/>
/// uploads are held in memory, queued or being read, whatever the number of clients; when no slot is
/// free the handler answers 429 without reading. Each worker is a dedicated thread (decoding and
/// scoring are synchronous and CPU-bound: they must not hold thread-pool threads Kestrel needs for
/// I/O) that takes its share of the waiting jobs, up to <see cref="ServeSettings.MaxBatch"/>, per wake-up.
/// </summary>
internal sealed class ScoringQueue
{
    private readonly Detector _detector;
    private readonly ServeSettings _settings;
    private readonly ILogger _log;
    private readonly Channel<ScoringJob> _channel;
    private readonly Thread[] _workers;
    private int _admitted;

    public ScoringQueue(Detector detector, ServeSettings settings, ILogger log)
    {
        (_detector, _settings, _log) = (detector, settings, log);
        // Never full in practice: admission caps what is written at the same bound.
        _channel = Channel.CreateBounded<ScoringJob>(new BoundedChannelOptions(settings.MaxQueue) { SingleWriter = false, SingleReader = false });
        _workers = [.. Enumerable.Range(0, settings.Workers).Select(i => new Thread(Work) { Name = $"fastladeda-scorer-{i}", IsBackground = true })];
        foreach (Thread worker in _workers) worker.Start();
    }

    /// <summary>Images admitted and not yet taken by a worker.</summary>
    public int Depth => Volatile.Read(ref _admitted);

    /// <summary>True when no image can be admitted now (readiness fails, so a load balancer sends work elsewhere).</summary>
    public bool IsSaturated => Depth >= _settings.MaxQueue;

    /// <summary>Takes a slot for one image, or returns false when the queue is full.</summary>
    public bool TryAdmit()
    {
        while (true)
        {
            int current = Volatile.Read(ref _admitted);
            if (current >= _settings.MaxQueue) return false;
            if (Interlocked.CompareExchange(ref _admitted, current + 1, current) == current)
            {
                ServiceMetrics.SetQueueDepth(current + 1);
                return true;
            }
        }
    }

    /// <summary>Gives back a slot taken by <see cref="TryAdmit"/> whose image never reached the queue (its read failed).</summary>
    public void Release() => ServiceMetrics.SetQueueDepth(Interlocked.Decrement(ref _admitted));

    /// <summary>Queues an admitted job. After <see cref="CompleteAndDrain"/> the job fails at once (the service is stopping).</summary>
    public void Submit(ScoringJob job)
    {
        job.MarkSubmitted();
        if (_channel.Writer.TryWrite(job)) return;
        Release();
        using (job) job.Fail(new OperationCanceledException("the service is stopping"));
    }

    /// <summary>Takes no more jobs, lets the workers finish those queued, and waits for them.</summary>
    public void CompleteAndDrain()
    {
        _channel.Writer.TryComplete();
        foreach (Thread worker in _workers) worker.Join();
    }

    private void Work()
    {
        ChannelReader<ScoringJob> reader = _channel.Reader;
        var batch = new List<ScoringJob>(_settings.MaxBatch);
        // Blocking on the wait is the point: this thread exists only to score.
        while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            // A fair share of what is waiting, so one worker does not take a batch while another idles.
            int share = Math.Clamp(reader.Count / _workers.Length, 1, _settings.MaxBatch);
            while (batch.Count < share && reader.TryRead(out ScoringJob? job))
            {
                batch.Add(job);
                Release();
                ServiceMetrics.Stage("queue", job.MarkTaken());
            }
            if (batch.Count == 0) continue;
            ServiceMetrics.Batch(batch.Count);
            foreach (ScoringJob job in batch) Score(job);
            batch.Clear();
        }
    }

    private void Score(ScoringJob job)
    {
        using (job)
        {
            if (job.Cancellation.IsCancellationRequested)
            {
                job.Skip();
                return;
            }
            try
            {
                DetectionResult result = _detector.ScoreEncoded(job.Bytes, job.Name, job.IncludePatchMap, out TimeSpan decode, out TimeSpan score);
                ServiceMetrics.Stage("decode", decode);
                ServiceMetrics.Stage("score", score);
                ServiceMetrics.Scored(true);
                job.Succeed(result, decode, score);
            }
            catch (Exception ex)
            {
                if (UploadErrors.IsClientError(ex)) ServiceMetrics.Scored(false);
                else _log.LogError(ex, "scoring {Name} failed unexpectedly", job.Name);
                job.Fail(ex);
            }
        }
    }
}
