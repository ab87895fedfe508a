namespace FastLaDeDa.Imaging.Formats.Png;

/// <summary>The five PNG filter types (filter method 0), stored as the first byte of each scanline.</summary>
internal enum PngFilterType : byte
{
    /// <summary>Bytes stored as they are.</summary>
    None = 0,

    /// <summary>Difference from the byte one pixel to the left.</summary>
    Sub = 1,

    /// <summary>Difference from the byte above.</summary>
    Up = 2,

    /// <summary>Difference from the floored mean of left and above.</summary>
    Average = 3,

    /// <summary>Difference from the Paeth predictor of left, above and upper left.</summary>
    Paeth = 4,
}
