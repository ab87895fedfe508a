using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace FastLaDeDa.Cli.Serving;

/// <summary>
/// Refuses scoring requests without the API key (401). Health, readiness and metrics stay open:
/// probes and scrapers of an orchestrator do not carry keys, and they reveal no scores.
/// </summary>
internal sealed class ApiKeyGate(string key)
{
    private readonly byte[] _keyHash = SHA256.HashData(Encoding.UTF8.GetBytes(key));

    /// <summary>The request header that carries the key.</summary>
    public const string HeaderName = "X-Api-Key";

    /// <summary>The paths that need the key.</summary>
    public const string ProtectedPrefix = "/v1";

    /// <summary>Middleware: lets the request through when it needs no key or carries the right one.</summary>
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (!context.Request.Path.StartsWithSegments(ProtectedPrefix) || Matches(context.Request.Headers[HeaderName].ToString()))
        {
            await next(context);
            return;
        }
        ServiceMetrics.Rejected(RejectionReason.Unauthorized);
        await ErrorResponses.WriteAsync(context, StatusCodes.Status401Unauthorized, $"missing or wrong {HeaderName} header");
    }

    // Hashes compared in constant time: response timing reveals neither how much of a guess was right nor the key's length.
    private bool Matches(string presented) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), _keyHash);
}
