using System.Text.Json;
using System.Text.Json.Serialization;

namespace FastLaDeDa.Cli.Serving;

/// <summary>How every response body is written: snake_case names as <c>detect --json</c> has them, absent values left out.</summary>
internal static class ServiceJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
