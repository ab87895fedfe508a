namespace FastLaDeDa.Training.Data;

/// <summary>A square crop of an image (top-left corner and side), optionally mirrored left to right.</summary>
internal readonly record struct CropWindow(int Top, int Left, int Size, bool Flip)
{
    /// <summary>A uniformly placed crop (torchvision's RandomCrop), flipped with probability ½ when <paramref name="allowFlip"/>.</summary>
    public static CropWindow Random(SeededRandom random, int imageWidth, int imageHeight, int size, bool allowFlip)
    {
        ArgumentNullException.ThrowIfNull(random);
        Check(imageWidth, imageHeight, size);
        int top = random.NextInclusive(0, imageHeight - size);
        int left = random.NextInclusive(0, imageWidth - size);
        return new CropWindow(top, left, size, allowFlip && random.Chance(0.5));
    }

    /// <summary>The centred crop, as torchvision's CenterCrop places it: offset round((side − size) / 2).</summary>
    public static CropWindow Center(int imageWidth, int imageHeight, int size)
    {
        Check(imageWidth, imageHeight, size);
        return new CropWindow((int)Math.Round((imageHeight - size) / 2.0), (int)Math.Round((imageWidth - size) / 2.0), size, false);
    }

    private static void Check(int width, int height, int size)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        if (size > width || size > height) throw new ArgumentOutOfRangeException(nameof(size), $"crop {size} is larger than the {width}x{height} image");
    }
}
