namespace FastLaDeDa.Imaging;

/// <summary>The container formats <see cref="ImageDecoder"/> decodes, as told apart by their first bytes.</summary>
internal enum ImageFormat
{
    Jpeg,
    Png,
    Gif,
    Bmp, // also DIB data: a bitmap without its 14-byte file header
    Tga,
    Pnm,
    Webp,
}
