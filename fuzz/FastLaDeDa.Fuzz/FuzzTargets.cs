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
