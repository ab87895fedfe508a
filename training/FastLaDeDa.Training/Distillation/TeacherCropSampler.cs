using FastLaDeDa.Imaging;
using FastLaDeDa.Training.Data;

namespace FastLaDeDa.Training.Distillation;

/// <summary>
/// The image and crop the teacher sees for (pass, image): training draws a uniformly placed crop (no
/// flip) and the optional augmentation from the stream (seed, pass, image); validation takes the
/// centre crop of the plain image. Deterministic, so the student's inputs can be rebuilt from the
/// seed at any time and only the teacher's maps need caching.
/// </summary>
internal static class TeacherCropSampler
{
    /// <summary>The (augmented) whole image and the crop window in it.</summary>
    public static (Rgb24Image Image, CropWindow Window) Draw(ImageDataset data, int image, int pass, DistillationGeometry geometry,
                                                              AugmentationOptions augmentation, long seed, bool center)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(augmentation);
        Rgb24Image source = data.Images[image].Image;
        if (center) return (source, CropWindow.Center(source.Width, source.Height, geometry.Crop));
        var random = SeededRandom.For(seed, RandomStreams.TeacherCrop, pass, image);
        Rgb24Image augmented = Augmenter.Apply(source, augmentation, random);
        return (augmented, geometry.RandomCrop(random, augmented.Width, augmented.Height));
    }
}
