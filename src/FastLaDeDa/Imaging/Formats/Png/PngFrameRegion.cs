namespace FastLaDeDa.Imaging.Formats.Png;

/// <summary>
/// Where the IDAT pixels go on the canvas. Normally the whole image; an APNG whose first frame
/// control chunk (fcTL) comes before the image data and declares a smaller frame makes Pillow 9.4
/// decode the image data as a frame of that size at that offset, on a canvas of zero samples.
/// </summary>
/// <param name="X">Left edge of the frame.</param>
/// <param name="Y">Top edge of the frame.</param>
/// <param name="Width">Frame width (at least 1).</param>
/// <param name="Height">Frame height (at least 1).</param>
internal readonly record struct PngFrameRegion(int X, int Y, int Width, int Height)
{
    /// <summary>Whether the frame is the whole <paramref name="width"/> × <paramref name="height"/> canvas.</summary>
    public bool Covers(int width, int height) => X == 0 && Y == 0 && Width == width && Height == height;
}
