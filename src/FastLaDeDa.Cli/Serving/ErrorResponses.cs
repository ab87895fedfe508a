using Microsoft.AspNetCore.Http;

namespace FastLaDeDa.Cli.Serving;

/// <summary>Error responses: a status and <c>{"error": "one line"}</c>, never a stack trace.</summary>
internal static class ErrorResponses
{
    /// <summary>Seconds a client told 429 or 503 should wait before trying again.</summary>
    public const int RetryAfterSeconds = 1;

    /// <summary>Writes <paramref name="status"/> with <paramref name="message"/> (and Retry-After for 429 and 503).</summary>
    public static Task WriteAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        if (status is StatusCodes.Status429TooManyRequests or StatusCodes.Status503ServiceUnavailable)
            context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return context.Response.WriteAsJsonAsync(new ErrorBody(message), ServiceJson.Options);
    }

    private sealed record ErrorBody(string Error);
}
