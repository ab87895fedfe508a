using FastLaDeDa.Errors;

namespace FastLaDeDa.Detection;

public sealed partial class Detector
{
    /// <summary>
    /// Scores many image files in parallel and yields one <see cref="FileDetection"/> per path, in
    /// input order, as soon as it and every earlier one are done. A file that cannot be read or
    /// decoded yields its typed error instead of throwing, so a server or a batch job goes on.
    /// </summary>
    /// <remarks>
    /// <para>A plain <see cref="IEnumerable{T}"/>, not an <c>IAsyncEnumerable</c>: scoring is CPU
    /// work on pool threads, so an asynchronous consumer would gain nothing but overhead, and a
    /// synchronous one works from any code. The caller's pace drives the work.</para>
    /// <para>Memory is bounded: at most 2 × the degree of parallelism files are in flight (read,
    /// being scored, or scored and waiting for an earlier one), whatever the number of paths and
    /// however slow one file is; <paramref name="paths"/> is enumerated lazily, only as far ahead as
    /// that window. At most the degree of parallelism files are scored at once.</para>
    /// <para>Cancelling stops queued files from starting and makes the enumeration throw
    /// <see cref="OperationCanceledException"/>; disposing the enumerator early (a <c>break</c>)
    /// cancels the queued files and waits for the running ones, so none outlives the loop.</para>
    /// </remarks>
    /// <param name="paths">The image files.</param>
    /// <param name="maxDegreeOfParallelism">Files scored at once; −1 (the default) for one per core.</param>
    /// <param name="cancellationToken">Stops the work.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxDegreeOfParallelism"/> is 0 or below −1.</exception>
    public IEnumerable<FileDetection> ScoreFiles(IEnumerable<string> paths, int maxDegreeOfParallelism = -1, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (maxDegreeOfParallelism == 0 || maxDegreeOfParallelism < -1)
            throw new ArgumentOutOfRangeException(nameof(maxDegreeOfParallelism), maxDegreeOfParallelism, "must be positive or -1");
        ThrowIfDisposed();
        int degree = maxDegreeOfParallelism == -1 ? Environment.ProcessorCount : maxDegreeOfParallelism;
        return ScoreFilesInOrder(paths, degree, ScoreFile, cancellationToken);
    }

    /// <summary>Scores one file, turning every expected failure into the entry's error.</summary>
    private FileDetection ScoreFile(string path)
    {
        try
        {
            return new FileDetection(path, Score(path), null);
        }
        catch (FastLaDeDaException e)
        {
            return new FileDetection(path, null, e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            // ArgumentException: a path with invalid characters is a bad entry, not a bug of the caller's loop.
            return new FileDetection(path, null, new ImageDecodeException(path, $"cannot read the file: {e.Message}", e));
        }
    }

    /// <summary>
    /// The ordered, bounded pipeline behind <see cref="ScoreFiles"/>, with the per-file work passed
    /// in so tests can slow files down and count what is in flight. A window of at most 2 ×
    /// <paramref name="degree"/> tasks, run by a scheduler limited to <paramref name="degree"/>
    /// threads; the oldest is awaited, yielded, and replaced by the next path.
    /// </summary>
    internal static IEnumerable<FileDetection> ScoreFilesInOrder(IEnumerable<string> paths, int degree, Func<string, FileDetection> scoreOne, CancellationToken cancellationToken)
    {
        int window = 2 * degree;
        var scheduler = new ConcurrentExclusiveSchedulerPair(TaskScheduler.Default, degree).ConcurrentScheduler;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var inFlight = new Queue<Task<FileDetection>>(window);
        using IEnumerator<string> next = paths.GetEnumerator();
        try
        {
            while (true)
            {
                while (inFlight.Count < window && next.MoveNext())
                {
                    string path = next.Current;
                    inFlight.Enqueue(Task.Factory.StartNew(() => scoreOne(path), stop.Token, TaskCreationOptions.None, scheduler));
                }
                if (inFlight.Count == 0) yield break;
                Task<FileDetection> oldest = inFlight.Peek();
                try
                {
                    oldest.Wait(cancellationToken);
                }
                catch (AggregateException)
                {
                    // Rethrown unwrapped by GetResult below (scoreOne only fails on a bug or a disposed detector).
                }
                cancellationToken.ThrowIfCancellationRequested();
                inFlight.Dequeue();
                yield return oldest.GetAwaiter().GetResult();
            }
        }
        finally
        {
            stop.Cancel();
            foreach (Task task in inFlight)
            {
                try { task.Wait(CancellationToken.None); }
                catch (AggregateException) { } // cancelled or failed after the caller stopped listening
            }
        }
    }
}
