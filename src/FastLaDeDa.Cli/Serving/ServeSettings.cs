namespace FastLaDeDa.Cli.Serving;

/// <summary>What <c>fastladeda serve</c> was told, checked: where it listens and how much it takes on.</summary>
internal sealed record ServeSettings
{
    /// <summary>The addresses Kestrel binds (http only; TLS belongs to the proxy or ingress in front).</summary>
    public required IReadOnlyList<string> Urls { get; init; }

    /// <summary>Threads that decode and score; each takes up to <see cref="MaxBatch"/> queued images per wake-up.</summary>
    public required int Workers { get; init; }

    /// <summary>Images a worker takes from the queue at once.</summary>
    public int MaxBatch { get; init; } = 8;

    /// <summary>Images admitted and not yet taken by a worker (uploads being read count too): beyond it, 429.</summary>
    public int MaxQueue { get; init; } = 64;

    /// <summary>The largest request body, in bytes: larger ones get 413 before they are read.</summary>
    public long MaxBodyBytes { get; init; } = 32L * 1024 * 1024;

    /// <summary>How long one request may take, from its first byte to its response, before it is abandoned with 503.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The key clients must send in <see cref="ApiKeyGate.HeaderName"/>, or null when none is required.</summary>
    public string? ApiKey { get; init; }
}
