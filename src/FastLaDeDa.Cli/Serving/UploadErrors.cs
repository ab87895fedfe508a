using FastLaDeDa.Errors;
using Microsoft.AspNetCore.Http;

namespace FastLaDeDa.Cli.Serving;

/// <summary>
/// The status code for an image the detector refused, with the CLI's one-line cause as the message
/// (<see cref="ErrorReporter.Describe"/>: one message table for the command line and the service).
/// </summary>
internal static class UploadErrors
{
    /// <summary>True for a refusal caused by the upload itself (a 4xx), false for a bug.</summary>
    public static bool IsClientError(Exception ex) => ex is FastLaDeDaException;

    /// <summary>
    /// 415 for a format the decoders do not know, 422 for an image they understood but will not score
    /// (over the pixel or dimension limits, a decompression bomb, too small), 400 for bytes that are
    /// not a valid image (corrupt, truncated, empty); 500 only for an exception that is a bug.
    /// The size limit is checked while the body is read (413), before an image reaches the detector.
    /// </summary>
    public static int Status(Exception ex) => ex switch
    {
        UnsupportedImageFormatException => StatusCodes.Status415UnsupportedMediaType,
        ImageLimitExceededException or ImageTooSmallException => StatusCodes.Status422UnprocessableEntity,
        ImageDecodeException => StatusCodes.Status400BadRequest,
        FastLaDeDaException => StatusCodes.Status422UnprocessableEntity,
        _ => StatusCodes.Status500InternalServerError,
    };

    /// <summary>The response's one line: the CLI's message for client errors, nothing internal for bugs (those are logged).</summary>
    public static string Message(Exception ex, string name) =>
        IsClientError(ex) ? ErrorReporter.Describe(ex, name) : $"{name}: internal error (logged by the service)";
}
