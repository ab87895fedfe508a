using FastLaDeDa.Errors;
using FastLaDeDa.Imaging;

namespace FastLaDeDa.Detection;

public sealed partial class Detector
{
    /// <summary>
    /// Reads an encoded image from <paramref name="stream"/> asynchronously (an upload, a blob) and
    /// scores it; see <see cref="ScoreAsync(Stream, string?, bool, CancellationToken)"/>.
    /// </summary>
    public Task<DetectionResult> ScoreAsync(Stream stream, CancellationToken cancellationToken = default) =>
        ScoreAsync(stream, null, includePatchMap: false, cancellationToken);

    /// <summary>
    /// Reads an encoded image from <paramref name="stream"/> asynchronously, up to its end, into a
    /// pooled buffer, then decodes and scores it as <see cref="Score(ReadOnlySpan{byte}, bool, string?)"/> does.
    /// </summary>
    /// <remarks>
    /// The read is bounded by <see cref="ImageLimits.MaxFileBytes"/>: a seekable stream whose
    /// remaining length is over it is refused before anything is read, any other stream as soon as
    /// it yields one byte more — never read to its end. Cancellation is honoured between and during
    /// reads and once more before scoring. The decode and the network then run synchronously on the
    /// thread that completed the last read (no <see cref="Task.Run(Action)"/>: a server thread is
    /// not handed to the pool twice); wrap the call in <c>Task.Run</c> to keep a UI thread free.
    /// The stream is not disposed.
    /// </remarks>
    /// <param name="stream">The encoded image, read from its current position.</param>
    /// <param name="sourceName">A name for error messages (usually where the bytes came from), or null.</param>
    /// <param name="includePatchMap">Also return the patch-logit map.</param>
    /// <param name="cancellationToken">Stops the read (and the scoring, if it has not started).</param>
    /// <exception cref="ImageLimitExceededException">The stream holds more than <see cref="ImageLimits.MaxFileBytes"/>.</exception>
    /// <exception cref="ImageDecodeException">The bytes cannot be decoded (as for <see cref="Score(ReadOnlySpan{byte}, bool, string?)"/>).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<DetectionResult> ScoreAsync(Stream stream, string? sourceName, bool includePatchMap = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ThrowIfDisposed();
        using var file = await PooledFile.ReadAsync(stream, _options.ImageLimits, sourceName, cancellationToken).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return ScoreEncoded(file.Data, sourceName, includePatchMap);
    }
}
