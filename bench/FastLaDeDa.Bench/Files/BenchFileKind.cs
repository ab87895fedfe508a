namespace FastLaDeDa.Bench.Files;

/// <summary>How a <see cref="BenchFileSpec"/> is encoded.</summary>
public enum BenchFileKind
{
    /// <summary>Baseline JPEG, quality 92, 4:2:0.</summary>
    Jpeg,

    /// <summary>Progressive JPEG, quality 92, 4:2:0.</summary>
    ProgressiveJpeg,

    /// <summary>PNG (RGB, 8 bits).</summary>
    Png,

    /// <summary>Lossy WebP, quality 90.</summary>
    WebP,
}
