using FastLaDeDa.Imaging;
using static TorchSharp.torch;

namespace FastLaDeDa.Training.Data;

/// <summary>
/// Turns dataset indices into a batch of crops. Training: each sample gets its own random stream
/// (seed, epoch, batch, position) for augmentation, a uniformly placed crop and a horizontal flip
/// with probability ½; samples are prepared in parallel and the result does not depend on thread
/// timing. Validation: the centre crop, no augmentation.
/// </summary>
internal static class BatchBuilder
{
    /// <summary>A training batch: augment (per <paramref name="augmentation"/>), random crop of <paramref name="crop"/>, random flip.</summary>
    public static ImageBatch Training(ImageDataset dataset, IReadOnlyList<int> indices, int crop, AugmentationOptions augmentation,
                                      long seed, int epoch, int batchIndex)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(indices);
        ArgumentNullException.ThrowIfNull(augmentation);
        int sampleBytes = crop * crop * 3;
        var pixels = new byte[indices.Count * sampleBytes];
        var labels = new float[indices.Count];
        Parallel.For(0, indices.Count, k =>
        {
            DatasetImage item = dataset.Images[indices[k]];
            var random = SeededRandom.For(seed, RandomStreams.Sample, epoch, batchIndex, k);
            var image = Augmenter.Apply(SyntheticOrOwn(dataset, item, augmentation, seed, epoch, batchIndex, k), augmentation, random);
            var window = CropWindow.Random(random, image.Width, image.Height, crop, allowFlip: true);
            ImageCropper.Copy(image, window, pixels.AsSpan(k * sampleBytes, sampleBytes));
            labels[k] = item.IsFake ? 1f : 0f;
        });
        return new ImageBatch(tensor(pixels, [indices.Count, crop, crop, 3]), tensor(labels));
    }

    // A fake sample is, with the synthetic-fake probability, an UpsamplingFake of a random training real
    // instead; its own stream keeps every other draw of the sample as it was without the option.
    private static Rgb24Image SyntheticOrOwn(ImageDataset dataset, DatasetImage item, AugmentationOptions augmentation,
                                             long seed, int epoch, int batchIndex, int position)
    {
        var reals = dataset.IndicesOf(isFake: false);
        if (!item.IsFake || augmentation.SyntheticFakeProbability <= 0 || reals.Count == 0) return item.Image;
        var random = SeededRandom.For(seed, RandomStreams.SyntheticFake, epoch, batchIndex, position);
        if (!random.Chance(augmentation.SyntheticFakeProbability)) return item.Image;
        var real = dataset.Images[reals[random.Next(reals.Count)]];
        return UpsamplingFake.Make(real.Image, random);
    }

    /// <summary>Images <paramref name="start"/> … start + count − 1 of the dataset, centre-cropped to <paramref name="crop"/>.</summary>
    public static ImageBatch Validation(ImageDataset dataset, int start, int count, int crop)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        int sampleBytes = crop * crop * 3;
        var pixels = new byte[count * sampleBytes];
        var labels = new float[count];
        Parallel.For(0, count, k =>
        {
            DatasetImage item = dataset.Images[start + k];
            var window = CropWindow.Center(item.Image.Width, item.Image.Height, crop);
            ImageCropper.Copy(item.Image, window, pixels.AsSpan(k * sampleBytes, sampleBytes));
            labels[k] = item.IsFake ? 1f : 0f;
        });
        return new ImageBatch(tensor(pixels, [count, crop, crop, 3]), tensor(labels));
    }
}
