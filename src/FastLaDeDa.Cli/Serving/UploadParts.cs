using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace FastLaDeDa.Cli.Serving;

/// <summary>One image in a request: the client's name for it, the stream of its bytes (not yet read) and the length the client declared, if any.</summary>
internal readonly record struct Upload(string Name, Stream Body, long? DeclaredLength);

/// <summary>
/// The images of a <c>POST /v1/detect</c>: the raw body as one image (any content type; its name
/// from <c>?name=</c>), or each part of a <c>multipart/form-data</c> body, streamed part by part.
/// Client-given names are reduced to a file name: nothing from a client is ever used as a path.
/// </summary>
internal static class UploadParts
{
    /// <summary>The name of a raw-body image without <c>?name=</c>.</summary>
    public const string DefaultName = "upload";

    /// <summary>The uploads in body order.</summary>
    /// <exception cref="InvalidDataException">The multipart body is malformed.</exception>
    public static async IAsyncEnumerable<Upload> ReadAsync(HttpRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
            || !type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            yield return new Upload(SafeName(request.Query["name"].ToString(), DefaultName), request.Body, request.ContentLength);
            yield break;
        }
        string boundary = HeaderUtilities.RemoveQuotes(type.Boundary).ToString();
        if (boundary.Length == 0) throw new InvalidDataException("multipart/form-data without a boundary");
        var reader = new MultipartReader(boundary, request.Body);
        int index = 0;
        while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
        {
            index++;
            string fallback = $"image{index}";
            string name = ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                ? SafeName(HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).ToString(), fallback)
                : fallback;
            yield return new Upload(name, section.Body, null);
        }
    }

    /// <summary>The last path segment of <paramref name="given"/>, without control characters, at most 200 characters; <paramref name="fallback"/> when nothing is left.</summary>
    public static string SafeName(string? given, string fallback)
    {
        string name = (given ?? "").Replace('\\', '/');
        name = name[(name.LastIndexOf('/') + 1)..];
        name = new string([.. name.Where(c => !char.IsControl(c))]).Trim();
        if (name.Length > 200) name = name[..200];
        return name is "" or "." or ".." ? fallback : name;
    }
}
