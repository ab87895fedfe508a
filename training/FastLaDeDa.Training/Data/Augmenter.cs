using FastLaDeDa.Evaluation;
using FastLaDeDa.Imaging.Resize;
using FastLaDeDa.Imaging;

namespace FastLaDeDa.Training.Data;

/// <summary>Applies <see cref="AugmentationOptions"/> to one image with one sample's random stream.</summary>
internal static class Augmenter
{
    /// <summary>
    /// The augmented image (the input itself when nothing applies): random resized crop, then
    /// Gaussian blur, then a rescale down, JPEG re-encode and decode with the library's decoder, and
    /// the rescale back up — each with its probability. JPEG inside a rescale compresses the small
    /// image, as a small JPEG original is compressed before inference enlarges it.
    /// </summary>
    public static Rgb24Image Apply(Rgb24Image image, AugmentationOptions options, SeededRandom random)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(random);
        if (!options.Any) return image;
        // Every decision draws its numbers whether or not it applies, so one option does not shift another's stream.
        bool resize = random.Chance(options.ResizedCropProbability);
        double area = random.NextDouble(options.ResizedCropScaleMin, 1.0);
        double logRatio = random.NextDouble(Math.Log(3.0 / 4.0), Math.Log(4.0 / 3.0));
        double u = random.NextDouble(), v = random.NextDouble();
        bool blur = random.Chance(options.BlurProbability);
        double sigma = random.NextDouble(options.BlurSigmaMin, options.BlurSigmaMax);
        bool jpeg = random.Chance(options.JpegProbability);
        int quality = random.NextInclusive(options.JpegQualityMin, options.JpegQualityMax);
        // Drawn after the older decisions so adding the rescale left their streams unchanged.
        bool rescale = random.Chance(options.RescaleProbability);
        double side = random.NextDouble(options.RescaleMin, 1.0);

        if (resize) image = ResizedCrop(image, area, Math.Exp(logRatio), u, v);
        if (blur) image = GaussianBlur.Apply(image, sigma);
        int width = image.Width, height = image.Height;
        if (rescale) image = PillowResize.Bilinear(image, Math.Max(1, (int)Math.Round(width * side)), Math.Max(1, (int)Math.Round(height * side)));
        if (jpeg) image = ImageDecoder.Decode(JpegReencoder.Encode(image, quality), "JPEG augmentation");
        if (rescale) image = PillowResize.Bilinear(image, width, height);
        return image;
    }

    /// <summary>
    /// torchvision's RandomResizedCrop geometry for one draw (area fraction, aspect ratio, placement
    /// u,v in [0,1)), the crop resized back to the image's size with Pillow's BILINEAR. A crop that
    /// does not fit is shrunk to fit.
    /// </summary>
    public static Rgb24Image ResizedCrop(Rgb24Image image, double areaFraction, double aspectRatio, double u, double v)
    {
        ArgumentNullException.ThrowIfNull(image);
        int w = image.Width, h = image.Height;
        double target = areaFraction * w * h;
        int cw = Math.Clamp((int)Math.Round(Math.Sqrt(target * aspectRatio)), 1, w);
        int ch = Math.Clamp((int)Math.Round(Math.Sqrt(target / aspectRatio)), 1, h);
        int left = (int)((w - cw + 1) * u), top = (int)((h - ch + 1) * v);
        var pixels = new byte[cw * ch * 3];
        for (int y = 0; y < ch; y++) image.Row(top + y).Slice(left * 3, cw * 3).CopyTo(pixels.AsSpan(y * cw * 3));
        return PillowResize.Bilinear(new Rgb24Image(cw, ch, pixels), w, h);
    }
}
