namespace FastLaDeDa.Imaging.Formats.Webp;

/// <summary>What the first partition says about one macroblock of a key frame (RFC 6386 section 19.3).</summary>
internal struct Vp8MacroblockModes
{
    /// <summary>Segment id, 0..3.</summary>
    public byte Segment;

    /// <summary>True when the macroblock has no coefficients (only when the frame codes skip flags).</summary>
    public bool Skip;

    /// <summary>True for 4x4 luma prediction (sixteen modes), false for one 16x16 mode.</summary>
    public bool Is4x4;

    /// <summary>The 16x16 luma mode (DC, TM, VE or HE) when <see cref="Is4x4"/> is false.</summary>
    public byte LumaMode;

    /// <summary>The chroma mode (DC, TM, VE or HE).</summary>
    public byte ChromaMode;
}
