namespace FastLaDeDa.Imaging;

/// <summary>
/// Upper bounds checked before an image is decoded: the file size, and the dimensions declared in
/// its header (so a decompression bomb is refused before any pixel memory is allocated).
/// </summary>
public sealed record ImageLimits
{
    /// <summary>The defaults: 256 MiB files, 16384 px per side, 64 megapixels.</summary>
    public static ImageLimits Default { get; } = new();

    /// <summary>Largest accepted file, in bytes.</summary>
    public long MaxFileBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>Largest accepted width or height, in pixels.</summary>
    public int MaxDimension { get; init; } = 16384;

    /// <summary>Largest accepted width × height.</summary>
    public long MaxPixels { get; init; } = 64L * 1024 * 1024;
}
