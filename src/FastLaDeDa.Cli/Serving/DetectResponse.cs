namespace FastLaDeDa.Cli.Serving;

/// <summary>
/// The body of <c>POST /v1/detect</c>: one entry per image in upload order, the request's timing,
/// and, when an image was refused, the first refusal's one line (the status is that refusal's).
/// </summary>
internal sealed record DetectResponse(IReadOnlyList<ImageResult> Results, RequestTiming Timing, string? Error = null);

/// <summary>One image's score as <c>detect --json</c> prints it, or why it was refused (<see cref="Error"/> and <see cref="Status"/>).</summary>
internal sealed record ImageResult(string Name)
{
    public double? Logit { get; init; }
    public double? Probability { get; init; }
    public string? Label { get; init; }
    public double? Threshold { get; init; }
    public string? Model { get; init; }
    public PatchMapBody? Map { get; init; }
    public string? Error { get; init; }
    public int? Status { get; init; }
}

/// <summary>The patch-logit map (<c>?map=true</c>): row-major logits, one per receptive-field patch at the given stride.</summary>
internal sealed record PatchMapBody(int Width, int Height, int Stride, int ReceptiveField, IReadOnlyList<float> Logits);

/// <summary>Milliseconds the request spent reading its uploads, the longest any image waited in the queue, decoding and in the network (each summed over its images), and in all.</summary>
internal sealed record RequestTiming(double ReadMs, double QueueMs, double DecodeMs, double ScoreMs, double TotalMs);
