using FastLaDeDa.Errors;
using FastLaDeDa.Imaging;

namespace FastLaDeDa.Detection;

public sealed partial class Detector
{
    /// <summary>
    /// Decodes and scores an encoded image like <see cref="Score(ReadOnlySpan{byte}, bool, string?)"/>,
    /// but reports a bad image through <paramref name="error"/> instead of throwing: for an upload
    /// endpoint where bad input is routine.
    /// </summary>
    /// <remarks>
    /// Empty input and input over <see cref="ImageLimits.MaxFileBytes"/> are refused before decoding
    /// without any exception being thrown. Anything the decoders find deeper in the bytes (an
    /// unsupported format, a corrupt or truncated stream, declared dimensions over the limits, an
    /// image too small at native resolution) is thrown by them and caught here: that costs one
    /// internal throw, never one the caller sees. Only <see cref="FastLaDeDaException"/>s are caught;
    /// a disposed detector still throws <see cref="ObjectDisposedException"/>.
    /// </remarks>
    /// <param name="encodedImage">The file's bytes (JPEG, PNG, WebP, BMP, GIF, TGA, PNM).</param>
    /// <param name="result">The score when the image was scored; default otherwise.</param>
    /// <param name="error">Why the image could not be scored (the exception <see cref="Score(ReadOnlySpan{byte}, bool, string?)"/> would have thrown); null on success.</param>
    /// <param name="sourceName">A name for error messages (usually where the bytes came from), or null.</param>
    /// <returns>True when the image was scored.</returns>
    public bool TryScore(ReadOnlySpan<byte> encodedImage, out DetectionResult result, out FastLaDeDaException? error, string? sourceName = null)
    {
        ThrowIfDisposed();
        result = default;
        if (encodedImage.IsEmpty)
        {
            error = new ImageDecodeException(sourceName, "file is empty");
            return false;
        }
        if (ImageLimitGuard.FileSizeError(encodedImage.Length, _options.ImageLimits, sourceName) is { } tooLarge)
        {
            error = tooLarge;
            return false;
        }
        try
        {
            result = ScoreEncoded(encodedImage, sourceName, includePatchMap: false);
            error = null;
            return true;
        }
        catch (FastLaDeDaException e)
        {
            error = e;
            return false;
        }
    }
}
