using System.Net;

namespace FastLaDeDa.Cli.Serving;

/// <summary>The addresses <c>serve</c> listens on: loopback unless told otherwise, and whether a bind reaches beyond this machine.</summary>
internal static class BindAddresses
{
    /// <summary>The port used when neither <c>--port</c> nor <c>--urls</c> is given.</summary>
    public const int DefaultPort = 8080;

    /// <summary>Only this machine can connect: safe without an API key.</summary>
    public static string Loopback(int port) => $"http://127.0.0.1:{port}";

    /// <summary>The host part of a Kestrel URL (<c>http://HOST:PORT/</c>; <c>*</c> and <c>+</c> are every address).</summary>
    public static string Host(string url)
    {
        int start = url.IndexOf("://", StringComparison.Ordinal);
        string rest = start < 0 ? url : url[(start + 3)..];
        if (rest.StartsWith('[')) return rest[..(rest.IndexOf(']') + 1)];
        int end = rest.IndexOfAny([':', '/']);
        return end < 0 ? rest : rest[..end];
    }

    /// <summary>True when <paramref name="url"/> accepts connections only from this machine.</summary>
    public static bool IsLoopback(string url)
    {
        string host = Host(url);
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase)) return true;
        return IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address);
    }

    /// <summary>Why <paramref name="url"/> cannot be served, or null: only plain http URLs with a host and a port.</summary>
    public static string? Problem(string url)
    {
        if (!url.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
            return $"--urls: '{url}' is not an http:// URL (https belongs to a proxy or ingress in front of the service)";
        return Host(url).Length == 0 ? $"--urls: '{url}' has no host" : null;
    }
}
