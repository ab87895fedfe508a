using System.Globalization;

namespace FastLaDeDa.Training.Data;

/// <summary>
/// The optional training augmentations, all off by default (as in the paper's runs). Each is applied
/// to the whole 256×256 image before the random crop, independently with its probability, in this
/// order: random resized crop, Gaussian blur, rescale down, JPEG re-encode, rescale back up. They
/// apply to both classes alike, so neither a file's compression nor its resolution carries the label.
/// </summary>
/// <param name="JpegProbability">Probability of re-encoding an image as baseline JPEG (in memory, <see cref="FastLaDeDa.Evaluation.JpegReencoder"/>).</param>
/// <param name="JpegQualityMin">Lowest JPEG quality (uniform integer in [min, max]).</param>
/// <param name="JpegQualityMax">Highest JPEG quality.</param>
/// <param name="BlurProbability">Probability of a Gaussian blur.</param>
/// <param name="BlurSigmaMin">Smallest blur sigma in pixels (uniform in [min, max]).</param>
/// <param name="BlurSigmaMax">Largest blur sigma.</param>
/// <param name="ResizedCropProbability">Probability of a random resized crop (torchvision's RandomResizedCrop geometry), resized back to 256×256 with Pillow's BILINEAR.</param>
/// <param name="ResizedCropScaleMin">Smallest crop area as a fraction of the image (the largest is 1); aspect ratio in [3/4, 4/3].</param>
/// <param name="RescaleProbability">Probability of a rescale: the image is shrunk (Pillow BILINEAR, which antialiases) to a random
/// side, JPEG-compressed there when the JPEG step also applies, and enlarged back to 256×256 — a small (and perhaps compressed)
/// original as inference sees it after its resize.</param>
/// <param name="RescaleMin">Smallest side of a rescale as a fraction of the image's (uniform in [min, 1)).</param>
/// <param name="SyntheticFakeProbability">Probability that a fake drawn for a batch is replaced by an <see cref="UpsamplingFake"/>
/// of a random training real (still labelled fake), which then goes through the chain like any image.</param>
internal sealed record AugmentationOptions(
    double JpegProbability = 0, int JpegQualityMin = 60, int JpegQualityMax = 100,
    double BlurProbability = 0, double BlurSigmaMin = 0.1, double BlurSigmaMax = 2.0,
    double ResizedCropProbability = 0, double ResizedCropScaleMin = 0.5,
    double RescaleProbability = 0, double RescaleMin = 0.5,
    double SyntheticFakeProbability = 0)
{
    /// <summary>No augmentation.</summary>
    public static AugmentationOptions None { get; } = new();

    /// <summary>True when some augmentation of the pixels can happen (synthetic fakes are chosen before it, by <see cref="BatchBuilder"/>).</summary>
    public bool Any => JpegProbability > 0 || BlurProbability > 0 || ResizedCropProbability > 0 || RescaleProbability > 0;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first option out of range.</summary>
    public AugmentationOptions Validated()
    {
        CheckProbability(JpegProbability, "--jpeg");
        CheckProbability(BlurProbability, "--blur");
        CheckProbability(ResizedCropProbability, "--resized-crop");
        CheckProbability(RescaleProbability, "--rescale");
        CheckProbability(SyntheticFakeProbability, "--synthetic-fakes");
        if (RescaleMin is < 0.0625 or >= 1 || double.IsNaN(RescaleMin))
            throw new ArgumentException($"--rescale-min {RescaleMin}: expected a fraction in [0.0625, 1)");
        if (JpegQualityMin < 1 || JpegQualityMax > 100 || JpegQualityMin > JpegQualityMax)
            throw new ArgumentException($"--jpeg-quality {JpegQualityMin}-{JpegQualityMax}: expected MIN-MAX with 1 <= MIN <= MAX <= 100");
        if (BlurSigmaMin <= 0 || BlurSigmaMin > BlurSigmaMax || BlurSigmaMax > 10)
            throw new ArgumentException($"--blur-sigma {BlurSigmaMin}-{BlurSigmaMax}: expected MIN-MAX with 0 < MIN <= MAX <= 10");
        if (ResizedCropScaleMin is <= 0 or > 1)
            throw new ArgumentException($"--resized-crop-scale {ResizedCropScaleMin}: expected a fraction in (0, 1]");
        return this;
    }

    /// <summary>A short description for logs and metadata, e.g. <c>jpeg p=0.5 q=60-100</c> or <c>none</c>.</summary>
    public override string ToString()
    {
        var parts = new List<string>();
        if (ResizedCropProbability > 0) parts.Add(string.Create(CultureInfo.InvariantCulture, $"resized-crop p={ResizedCropProbability} scale={ResizedCropScaleMin}-1"));
        if (BlurProbability > 0) parts.Add(string.Create(CultureInfo.InvariantCulture, $"blur p={BlurProbability} sigma={BlurSigmaMin}-{BlurSigmaMax}"));
        if (RescaleProbability > 0) parts.Add(string.Create(CultureInfo.InvariantCulture, $"rescale p={RescaleProbability} side={RescaleMin}-1"));
        if (JpegProbability > 0) parts.Add(string.Create(CultureInfo.InvariantCulture, $"jpeg p={JpegProbability} q={JpegQualityMin}-{JpegQualityMax}"));
        if (SyntheticFakeProbability > 0) parts.Add(string.Create(CultureInfo.InvariantCulture, $"synthetic-fakes p={SyntheticFakeProbability}"));
        return parts.Count == 0 ? "none" : string.Join(", ", parts);
    }

    private static void CheckProbability(double p, string option)
    {
        if (p is < 0 or > 1 || double.IsNaN(p)) throw new ArgumentException($"{option} {p}: expected a probability in [0, 1]");
    }
}
