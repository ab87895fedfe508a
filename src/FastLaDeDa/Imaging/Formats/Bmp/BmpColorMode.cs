namespace FastLaDeDa.Imaging.Formats.Bmp;

/// <summary>What the pixels of a 1-, 4- or 8-bit bitmap are after Pillow has looked at its colour table.</summary>
internal enum BmpColorMode
{
    /// <summary>Mode "P": indices into <see cref="BmpColorTable.Palette"/>.</summary>
    Palette,

    /// <summary>Mode "1": the table is black and white, so pixels are read 1 bit each.</summary>
    Bilevel,

    /// <summary>Mode "L": the table is a grey ramp, so pixels are read a byte each as grey levels.</summary>
    Grey,
}
