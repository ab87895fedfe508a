namespace FastLaDeDa.Imaging.Formats.Webp;

/// <summary>
/// Intra prediction mode numbers (libwebp's numbering). The 16x16 and chroma modes DC, TM, V, H
/// share the numbers of the 4x4 modes DC, TM, VE, HE, which is also how a 16x16 macroblock
/// sets the context for its neighbours' 4x4 modes.
/// </summary>
internal static class Vp8PredictionMode
{
    /// <summary>Average of the top and left edges.</summary>
    public const byte DC = 0;
    /// <summary>"TrueMotion": left + top - top-left.</summary>
    public const byte TM = 1;
    /// <summary>Vertical (copy of the top edge; smoothed in 4x4 blocks).</summary>
    public const byte VE = 2;
    /// <summary>Horizontal (copy of the left edge; smoothed in 4x4 blocks).</summary>
    public const byte HE = 3;
    /// <summary>4x4 down-right diagonal.</summary>
    public const byte RD = 4;
    /// <summary>4x4 vertical-right.</summary>
    public const byte VR = 5;
    /// <summary>4x4 down-left diagonal.</summary>
    public const byte LD = 6;
    /// <summary>4x4 vertical-left.</summary>
    public const byte VL = 7;
    /// <summary>4x4 horizontal-down.</summary>
    public const byte HD = 8;
    /// <summary>4x4 horizontal-up.</summary>
    public const byte HU = 9;

    /// <summary>16x16 / chroma DC on the top row of macroblocks (left edge only).</summary>
    public const byte DCNoTop = 4;
    /// <summary>16x16 / chroma DC in the left column (top edge only).</summary>
    public const byte DCNoLeft = 5;
    /// <summary>16x16 / chroma DC of the top-left macroblock (128).</summary>
    public const byte DCNoTopLeft = 6;
}
