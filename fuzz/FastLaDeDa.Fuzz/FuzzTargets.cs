using FastLaDeDa.Errors;
using FastLaDeDa.Imaging.Resize;
using FastLaDeDa.Imaging;
using FastLaDeDa.Models;
using FastLaDeDa.Weights;

namespace FastLaDeDa.Fuzz;

/// <summary>
/// One entry point per parser that sees untrusted bytes. Each catches exactly the exception types
/// SECURITY.md documents for that parser; anything else escapes and AFL records a crash.
/// </summary>
public static class FuzzTargets
{
    // Small limits keep every execution fast and bounded; the limit checks themselves are fuzzed.
    private static readonly ImageLimits Images = new() { MaxFileBytes = 1 << 20, MaxDimension = 4096, MaxPixels = 1 << 20 };
    private static readonly WeightsLimits Weights = WeightsLimits.Default with { MaxFileBytes = 1 << 20, MaxTensorBytes = 1 << 20 };

    /// <summary>Finds a target by name.</summary>
    public static bool TryGet(string name, out Action<byte[]> target)
    {
        target = name switch
        {
            "image" => Image,
            "jpeg" => Jpeg,
            "bmp-gif" => BmpGif,
            "webp" => Webp,
            "png" => Png,
            "safetensors" => SafeTensorsFile,
            "pth" => PthFile,
            _ => null!,
        };
        return target is not null;
    }

    /// <summary>Decoding (every format), then the resize every decoded image goes through.</summary>
    public static void Image(byte[] data)
    {
        try
        {
            Rgb24Image image = ImageDecoder.Decode(data, "fuzz", Images);
            if (image.Pixels.Length != image.Width * image.Height * 3) throw new InvalidOperationException("decoder returned a mis-sized buffer");
            PillowResize.Bilinear(image, 32, 32);
        }
        catch (ImageDecodeException) { }
    }

    /// <summary>
    /// The JPEG decoder: the full decode, the streaming decode + resize the detector runs (which must
    /// give exactly the bytes of decoding then resizing: a difference is a crash), and the reduced
    /// DCT-scale decode. Only JPEG-signature inputs go further than the sniffer.
    /// </summary>
    public static void Jpeg(byte[] data)
    {
        if (data.Length < 3 || data[0] != 0xFF || data[1] != 0xD8) return;
        DecodeResizeAndCompare(data, reduced: true);
    }

    /// <summary>The WebP decoders (container, lossless, lossy, alpha, animation frame 0), with the same check.</summary>
    public static void Webp(byte[] data)
    {
        if (data.Length < 12 || !data.AsSpan(0, 4).SequenceEqual("RIFF"u8) || !data.AsSpan(8, 4).SequenceEqual("WEBP"u8)) return;
        DecodeResizeAndCompare(data, reduced: false);
    }

    /// <summary>
    /// The PNG decoder (chunk walk, zlib, unfiltering, Adam7, palettes and tRNS, APNG's default
    /// image), with the same check: a sequential PNG streams rows into the resize, an interlaced one
    /// or a smaller APNG frame goes through a pooled canvas, and both must equal the full decode.
    /// </summary>
    public static void Png(byte[] data)
    {
        if (data.Length < 8 || data[0] != 0x89 || data[1] != (byte)'P') return;
        DecodeResizeAndCompare(data, reduced: false);
    }

    /// <summary>The BMP/DIB and GIF decoders, with the same streaming-versus-whole check.</summary>
    public static void BmpGif(byte[] data) => DecodeResizeAndCompare(data, reduced: false);

    private static void DecodeResizeAndCompare(byte[] data, bool reduced)
    {
        Rgb24Image image;
        try
        {
            image = ImageDecoder.Decode(data, "fuzz", Images);
        }
        catch (ImageDecodeException)
        {
            // The streaming path must refuse the same inputs.
            try
            {
                ImageDecoder.DecodeResized(data, "fuzz", Images, 32, 32, new byte[32 * 32 * 3]);
            }
            catch (ImageDecodeException)
            {
                return;
            }
            throw new InvalidOperationException("the streaming decode accepted an image the full decode refused");
        }
        if (image.Pixels.Length != image.Width * image.Height * 3) throw new InvalidOperationException("decoder returned a mis-sized buffer");
        byte[] expected = PillowResize.Bilinear(image, 32, 32).Pixels;
        var streamed = new byte[32 * 32 * 3];
        ImageDecoder.DecodeResized(data, "fuzz", Images, 32, 32, streamed);
        if (!expected.AsSpan().SequenceEqual(streamed)) throw new InvalidOperationException("streaming decode + resize differs from decode then resize");
        if (reduced) ImageDecoder.DecodeResized(data, "fuzz", Images, 32, 32, streamed, reduced: true);
    }

    /// <summary>The safetensors reader, then model validation.</summary>
    public static void SafeTensorsFile(byte[] data)
    {
        try
        {
            TinyLaDeDaModel.FromStateDict(SafeTensors.Read(data, "fuzz", Weights));
        }
        catch (WeightsFormatException) { }
    }

    /// <summary>The PyTorch .pth importer (zip + safe pickle), then model validation.</summary>
    public static void PthFile(byte[] data)
    {
        try
        {
            TinyLaDeDaModel.FromStateDict(PthCheckpoint.Read(data, "fuzz", Weights));
        }
        catch (WeightsFormatException) { }
    }
}
