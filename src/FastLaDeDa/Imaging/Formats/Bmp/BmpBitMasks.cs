using System.Buffers.Binary;

namespace FastLaDeDa.Imaging.Formats.Bmp;

/// <summary>The channel bit masks of a bit-field bitmap.</summary>
/// <param name="Red">Mask of the red bits in a little-endian pixel.</param>
/// <param name="Green">Mask of the green bits.</param>
/// <param name="Blue">Mask of the blue bits.</param>
/// <param name="Alpha">Mask of the alpha bits (0 after a 40-byte header, whose fourth mask is reserved).</param>
internal readonly record struct BmpBitMasks(uint Red, uint Green, uint Blue, uint Alpha)
{
    /// <summary>Reads three or four little-endian masks from the start of <paramref name="bytes"/>.</summary>
    public static BmpBitMasks Read(ReadOnlySpan<byte> bytes, bool withAlpha) => new(
        BinaryPrimitives.ReadUInt32LittleEndian(bytes),
        BinaryPrimitives.ReadUInt32LittleEndian(bytes[4..]),
        BinaryPrimitives.ReadUInt32LittleEndian(bytes[8..]),
        withAlpha ? BinaryPrimitives.ReadUInt32LittleEndian(bytes[12..]) : 0);

    /// <summary>
    /// The layout Pillow 9.4 unpacks these masks with at <paramref name="bitsPerPixel"/>, or null
    /// when it has none (Pillow raises "Unsupported BMP bitfields layout"). Pillow compares the
    /// masks with a fixed list rather than shifting by them: 32-bit pixels with the channels in
    /// whole bytes (alpha compared too, where the header has it), 24-bit B-G-R, and 16-bit 5-6-5
    /// or 5-5-5.
    /// </summary>
    public BmpPixelLayout? PillowLayout(int bitsPerPixel) => (bitsPerPixel, this) switch
    {
        (32, (0xFF0000, 0xFF00, 0xFF, 0)) => BmpPixelLayout.Bgrx32,
        (32, (0xFF0000, 0xFF00, 0xFF, 0xFF000000)) => BmpPixelLayout.Bgrx32,
        (32, (0, 0, 0, 0)) => BmpPixelLayout.Bgrx32,
        (32, (0xFF000000, 0xFF0000, 0xFF00, 0 or 0xFF)) => BmpPixelLayout.Xbgr32,
        (32, (0xFF, 0xFF00, 0xFF0000, 0xFF000000)) => BmpPixelLayout.Rgbx32,
        (24, (0xFF0000, 0xFF00, 0xFF, _)) => BmpPixelLayout.Bgr24,
        (16, (0xF800, 0x7E0, 0x1F, _)) => BmpPixelLayout.Bgr565,
        (16, (0x7C00, 0x3E0, 0x1F, _)) => BmpPixelLayout.Bgr555,
        _ => null,
    };

    /// <inheritdoc/>
    public override string ToString() => $"R {Red:X8} G {Green:X8} B {Blue:X8} A {Alpha:X8}";
}
