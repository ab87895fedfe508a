namespace FastLaDeDa.Imaging.Formats.Webp;

/// <summary>
/// One frame as libwebp's demuxer records it: its place on the canvas, its size (from the bitstream
/// header, not the ANMF header), and where its ALPH and VP8/VP8L chunks lie in the file (offsets of the
/// chunk headers; sizes include the header and the padding byte).
/// </summary>
internal struct WebpFrame
{
    /// <summary>Position on the canvas (ANMF offsets; 0 for a still image).</summary>
    public int X, Y;

    /// <summary>Size of the frame.</summary>
    public int Width, Height;

    /// <summary>1-based frame number; 0 while no image chunk has been seen.</summary>
    public int Number;

    /// <summary>The frame has an image chunk.</summary>
    public bool Complete;

    /// <summary>The VP8/VP8L chunk, or size 0.</summary>
    public int ImageOffset, ImageSize;

    /// <summary>The ALPH chunk, or size 0.</summary>
    public int AlphaOffset, AlphaSize;

    /// <summary>
    /// The bytes libwebp decodes for this frame: from the ALPH chunk (when kept) to the end of the
    /// image chunk.
    /// </summary>
    public readonly (int Offset, int Length) Fragment =>
        AlphaSize > 0 ? (AlphaOffset, ImageOffset + ImageSize - AlphaOffset) : (ImageOffset, ImageSize);
}
