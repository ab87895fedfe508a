namespace FastLaDeDa.Imaging;

/// <summary>
/// The byte layout of one pixel in a raw 8-bit frame handed to
/// <see cref="Detection.Detector.Score(ReadOnlySpan{byte}, int, int, int, PixelFormat, bool)"/>
/// (a video frame, a camera buffer, a GPU readback). Alpha, where present, is ignored — not
/// composited — as Pillow's <c>convert("RGB")</c> drops it.
/// </summary>
public enum PixelFormat
{
    /// <summary>3 bytes per pixel: red, green, blue (the layout of <see cref="Rgb24Image"/>).</summary>
    Rgb24,

    /// <summary>3 bytes per pixel: blue, green, red (OpenCV's default).</summary>
    Bgr24,

    /// <summary>4 bytes per pixel: red, green, blue, alpha (alpha ignored).</summary>
    Rgba32,

    /// <summary>4 bytes per pixel: blue, green, red, alpha (alpha ignored; Windows and most GPU surfaces).</summary>
    Bgra32,
}
