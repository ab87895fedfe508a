using FastLaDeDa.Imaging.Resize;
using FastLaDeDa.Imaging;
using FastLaDeDa.Training.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace FastLaDeDa.Training.Data;

/// <summary>
/// Pixels into tensors with the library's own decoder and Pillow-exact resize, so training sees
/// exactly the pixels inference sees.
/// </summary>
internal static class ImageTensors
{
    /// <summary>The official input size (MODEL.md: resize to 256×256, aspect ratio not kept).</summary>
    public const int InputSize = 256;

    /// <summary>Decodes an image file (Pillow's <c>convert("RGB")</c> semantics) and resizes it to <paramref name="size"/>×<paramref name="size"/> with Pillow's BILINEAR.</summary>
    public static Rgb24Image LoadResized(string path, int size = InputSize) => Resize(ImageDecoder.Decode(path), size);

    /// <summary>Pillow's BILINEAR resize to <paramref name="size"/>×<paramref name="size"/>; an image already that size is returned as is.</summary>
    public static Rgb24Image Resize(Rgb24Image image, int size = InputSize)
    {
        ArgumentNullException.ThrowIfNull(image);
        return image.Width == size && image.Height == size ? image : PillowResize.Bilinear(image, size, size);
    }

    /// <summary>Images of one size as a uint8 [N,H,W,3] tensor (interleaved RGB, as decoded).</summary>
    public static Tensor ToPixels(IReadOnlyList<Rgb24Image> images)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.Count == 0) throw new ArgumentException("no images", nameof(images));
        int w = images[0].Width, h = images[0].Height;
        var bytes = new byte[checked(images.Count * h * w * 3)];
        for (int i = 0; i < images.Count; i++)
        {
            if (images[i].Width != w || images[i].Height != h)
                throw new ArgumentException($"image {i} is {images[i].Width}x{images[i].Height}, image 0 is {w}x{h}; a batch needs one size", nameof(images));
            images[i].Pixels.CopyTo(bytes, i * h * w * 3);
        }
        return tensor(bytes, [images.Count, h, w, 3]);
    }

    /// <summary>Images of one size as a normalized float32 [N,3,H,W] batch (<see cref="TorchPreprocessing.Normalize"/>).</summary>
    public static Tensor ToNormalizedBatch(IReadOnlyList<Rgb24Image> images)
    {
        using Tensor pixels = ToPixels(images);
        return TorchPreprocessing.Normalize(pixels);
    }
}
