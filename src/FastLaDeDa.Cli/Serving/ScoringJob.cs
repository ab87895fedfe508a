using System.Diagnostics;
using FastLaDeDa.Detection;
using FastLaDeDa.Imaging;

namespace FastLaDeDa.Cli.Serving;

/// <summary>
/// One uploaded image waiting to be scored: its bytes in a pooled buffer (returned when the job is
/// disposed, by the worker that took it), and the task its request awaits.
/// </summary>
internal sealed class ScoringJob(PooledFile file, string name, bool includePatchMap, CancellationToken cancellation) : IDisposable
{
    private readonly TaskCompletionSource<DetectionResult> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _submittedAt;

    /// <summary>The client's name for the image (a file name, never a path), used in results and error lines.</summary>
    public string Name { get; } = name;

    /// <summary>Whether the response includes the patch-logit map.</summary>
    public bool IncludePatchMap { get; } = includePatchMap;

    /// <summary>Cancelled when the client went away or the request timed out: the worker then skips the job.</summary>
    public CancellationToken Cancellation { get; } = cancellation;

    /// <summary>The encoded image.</summary>
    public ReadOnlySpan<byte> Bytes => file.Data;

    /// <summary>The score, or the exception that refused the image; cancelled when the job was skipped.</summary>
    public Task<DetectionResult> Completion => _done.Task;

    /// <summary>Time from submission until a worker took the job.</summary>
    public TimeSpan QueueTime { get; private set; }

    /// <summary>Time the worker spent decoding (and resizing) the image.</summary>
    public TimeSpan DecodeTime { get; private set; }

    /// <summary>Time the worker spent in the network.</summary>
    public TimeSpan ScoreTime { get; private set; }

    /// <summary>Marks the moment the job entered the queue.</summary>
    public void MarkSubmitted() => _submittedAt = Stopwatch.GetTimestamp();

    /// <summary>Marks the moment a worker took the job; returns the time it waited.</summary>
    public TimeSpan MarkTaken() => QueueTime = Stopwatch.GetElapsedTime(_submittedAt);

    /// <summary>Completes the job with its score.</summary>
    public void Succeed(DetectionResult result, TimeSpan decodeTime, TimeSpan scoreTime)
    {
        (DecodeTime, ScoreTime) = (decodeTime, scoreTime);
        _done.TrySetResult(result);
    }

    /// <summary>Completes the job with the reason it could not be scored.</summary>
    public void Fail(Exception error) => _done.TrySetException(error);

    /// <summary>Completes the job unscored: nobody is waiting for it any more.</summary>
    public void Skip() => _done.TrySetCanceled(Cancellation);

    /// <summary>Returns the image's buffer to the pool.</summary>
    public void Dispose() => file.Dispose();
}
