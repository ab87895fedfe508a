using FastLaDeDa.Errors;

namespace FastLaDeDa.Detection;

/// <summary>
/// One file's outcome from <see cref="Detector.ScoreFiles(IEnumerable{string}, int, CancellationToken)"/>:
/// its score, or the typed error that kept it from being scored.
/// </summary>
/// <param name="Path">The file, as given.</param>
/// <param name="Result">The score; null when <see cref="Error"/> is set.</param>
/// <param name="Error">Why the file could not be scored; null on success. A file that cannot be read
/// (missing, no access) is reported as an <see cref="ImageDecodeException"/> whose inner exception is
/// the I/O error.</param>
public sealed record FileDetection(string Path, DetectionResult? Result, FastLaDeDaException? Error)
{
    /// <summary>Whether the file was scored (<see cref="Result"/> is set).</summary>
    public bool Succeeded => Error is null;
}
