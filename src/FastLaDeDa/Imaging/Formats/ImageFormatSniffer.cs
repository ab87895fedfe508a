using FastLaDeDa.Errors;
using FastLaDeDa.Imaging.Formats.Bmp;

namespace FastLaDeDa.Imaging.Formats;

/// <summary>
/// Tells the format of an image from its first bytes (never from the file name). Formats that
/// Pillow would open but FastLaDeDa deliberately does not decode (TIFF, HEIC, PSD, ...) are
/// recognised and refused by name, so the user learns what the file is rather than "corrupt".
/// </summary>
internal static class ImageFormatSniffer
{
    private static ReadOnlySpan<byte> JpegMagic => [0xFF, 0xD8, 0xFF];
    private static ReadOnlySpan<byte> PngMagic => [0x89, (byte)'P', (byte)'N', (byte)'G'];
    private static ReadOnlySpan<byte> Jpeg2000Box => [0x00, 0x00, 0x00, 0x0C, (byte)'j', (byte)'P', 0x20, 0x20, 0x0D, 0x0A, 0x87, 0x0A];
    private static ReadOnlySpan<byte> Jpeg2000Codestream => [0xFF, 0x4F, 0xFF, 0x51];
    private static ReadOnlySpan<byte> JpegXlBox => [0x00, 0x00, 0x00, 0x0C, (byte)'J', (byte)'X', (byte)'L', 0x20, 0x0D, 0x0A, 0x87, 0x0A];
    private static ReadOnlySpan<byte> JpegXlCodestream => [0xFF, 0x0A];
    private static ReadOnlySpan<byte> OpenExrMagic => [0x76, 0x2F, 0x31, 0x01];
    private static ReadOnlySpan<byte> IcoMagic => [0x00, 0x00, 0x01, 0x00];

    /// <summary>The format of <paramref name="data"/>; throws <see cref="UnsupportedImageFormatException"/> otherwise.</summary>
    public static ImageFormat Detect(ReadOnlySpan<byte> data, string? source)
    {
        if (data.StartsWith(JpegMagic)) return ImageFormat.Jpeg;
        // Four bytes are enough to call it PNG; PngStructure then insists on the full signature,
        // so a damaged signature is reported as a corrupt PNG rather than an unknown format.
        if (data.StartsWith(PngMagic)) return ImageFormat.Png;
        if (data.StartsWith("GIF87a"u8) || data.StartsWith("GIF89a"u8)) return ImageFormat.Gif;
        // Like Pillow: "BM", or DIB data (a bitmap without its file header) by its info header size.
        if (BmpDecoder.HasFileHeader(data) || BmpDecoder.IsDib(data)) return ImageFormat.Bmp;
        if (PnmDecoder.HasSignature(data)) return ImageFormat.Pnm;
        if (data.Length >= 12 && data.StartsWith("RIFF"u8) && data[8..12].SequenceEqual("WEBP"u8)) return ImageFormat.Webp;

        string? refused = RefusedFormatName(data);
        if (refused is not null)
            throw new UnsupportedImageFormatException(source, $"{refused} images are not supported (FastLaDeDa decodes JPEG, PNG, WebP, BMP, GIF, TGA and PNM)");

        // TGA has no magic number, so it is tried last, on a strict plausibility test of its header.
        if (TgaStructure.HasPlausibleHeader(data)) return ImageFormat.Tga;

        throw new UnsupportedImageFormatException(source, "not a recognised image format");
    }

    private static string? RefusedFormatName(ReadOnlySpan<byte> data)
    {
        if (data.StartsWith("II*\0"u8) || data.StartsWith("MM\0*"u8)) return "TIFF";
        if (data.StartsWith("II+\0"u8) || data.StartsWith("MM\0+"u8)) return "BigTIFF";
        if (data.Length >= 12 && data[4..8].SequenceEqual("ftyp"u8)) return IsoMediaBrandName(data[8..12]);
        if (data.StartsWith("8BPS"u8)) return "Photoshop (PSD)";
        if (data.StartsWith("#?RADIANCE"u8) || data.StartsWith("#?RGBE"u8)) return "Radiance HDR";
        if (data.StartsWith(Jpeg2000Box) || data.StartsWith(Jpeg2000Codestream)) return "JPEG 2000";
        if (data.StartsWith(JpegXlBox) || data.StartsWith(JpegXlCodestream)) return "JPEG XL";
        if (data.StartsWith(OpenExrMagic)) return "OpenEXR";
        if (data.StartsWith("qoif"u8)) return "QOI";
        if (data.StartsWith("DDS "u8)) return "DDS";
        if (data.StartsWith(IcoMagic)) return "ICO";
        if (data.Length >= 3 && data[0] == 'P' && data[1] == '7' && IsPnmWhitespace(data[2])) return "PAM";
        return null;
    }

    private static string? IsoMediaBrandName(ReadOnlySpan<byte> brand) =>
        System.Text.Encoding.ASCII.GetString(brand) switch
        {
            "avif" or "avis" => "AVIF",
            "heic" or "heix" or "hevc" or "hevx" or "heim" or "heis" or "mif1" or "msf1" => "HEIC/HEIF",
            _ => null,
        };

    private static bool IsPnmWhitespace(byte b) => b is 0x20 or 0x09 or 0x0A or 0x0B or 0x0C or 0x0D;
}
