using FastLaDeDa.Training.Data;
using FastLaDeDa.Training.Tests.Support;

namespace FastLaDeDa.Training.Tests;

/// <summary>Seeded randomness, balanced batches, crops and augmentations.</summary>
public class SamplingTests
{
    [Fact]
    public void Streams_are_reproducible_and_independent()
    {
        ulong a = SeededRandom.For(42, 1, 2, 3).NextUInt64();
        Assert.Equal(a, SeededRandom.For(42, 1, 2, 3).NextUInt64());
        Assert.NotEqual(a, SeededRandom.For(42, 1, 2, 4).NextUInt64());
        Assert.NotEqual(a, SeededRandom.For(43, 1, 2, 3).NextUInt64());
        var random = SeededRandom.For(7);
        var counts = new int[5];
        for (int i = 0; i < 50_000; i++) counts[random.Next(5)]++;
        Assert.All(counts, c => Assert.InRange(c, 9_500, 10_500));
    }

    [Fact]
    public void Batches_are_half_real_half_fake_and_cycle_through_each_class()
    {
        int[] real = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
        int[] fake = [10, 11, 12, 13];
        var plan = BalancedBatchSampler.Plan(real, fake, batchSize: 4, seed: 1, epoch: 1);
        Assert.Equal(4, plan.Count); // ceil(14 / 4)
        Assert.All(plan, b => Assert.Equal(2, b.Count(i => i >= 10)));
        // 8 fake draws from a class of 4: each fake image exactly twice.
        Assert.All(plan.SelectMany(b => b).Where(i => i >= 10).GroupBy(i => i), g => Assert.Equal(2, g.Count()));
        // 8 real draws from a class of 10: no image twice.
        Assert.Equal(8, plan.SelectMany(b => b).Where(i => i < 10).Distinct().Count());
        Assert.Equal(plan, BalancedBatchSampler.Plan(real, fake, 4, 1, 1));
        Assert.NotEqual(plan, BalancedBatchSampler.Plan(real, fake, 4, 1, 2));
        Assert.Throws<DatasetException>(() => BalancedBatchSampler.Plan(real, [], 4, 1, 1));
    }

    [Fact]
    public void Source_power_shares_each_class_among_its_sources()
    {
        // Real: source "a" has 90 images, "b" 10; fake: one source of 20.
        int[] real = Enumerable.Range(0, 100).ToArray();
        int[] fake = Enumerable.Range(100, 20).ToArray();
        string SourceOf(int i) => i < 90 ? "a" : i < 100 ? "b" : "f";
        double ShareOfB(double power)
        {
            int b = 0, all = 0;
            for (int epoch = 1; epoch <= 20; epoch++)
                foreach (int i in BalancedBatchSampler.Plan(real, fake, 8, 5, epoch, SourceOf, power).SelectMany(x => x).Where(i => i < 100))
                {
                    all++;
                    if (i >= 90) b++;
                }
            return (double)b / all;
        }
        // Expected shares 10/100, 10^0.5/(90^0.5+10^0.5) = 0.25, 1/2; 20 epochs × 60 draws: a few points of noise.
        Assert.InRange(ShareOfB(1), 0.07, 0.13);
        Assert.InRange(ShareOfB(0.5), 0.21, 0.29);
        Assert.InRange(ShareOfB(0), 0.45, 0.55);
        var plan = BalancedBatchSampler.Plan(real, fake, 8, 5, 1, SourceOf, 0);
        Assert.All(plan, batch => Assert.Equal(4, batch.Count(i => i >= 100)));
        // Within a source the images come in cycles: 10 images of "b" drawn ~30 times are all drawn, none 5 times.
        var ofB = plan.SelectMany(x => x).Where(i => i is >= 90 and < 100).GroupBy(i => i).ToList();
        Assert.Equal(10, ofB.Count);
        Assert.All(ofB, g => Assert.InRange(g.Count(), 1, 4));
        Assert.Equal(plan, BalancedBatchSampler.Plan(real, fake, 8, 5, 1, SourceOf, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => BalancedBatchSampler.Plan(real, fake, 8, 5, 1, SourceOf, 1.5));
    }

    [Fact]
    public void Source_power_one_is_the_image_plan_exactly()
    {
        var images = Enumerable.Range(0, 10).Select(i => new DatasetImage($"x{i}.png", $"x{i}.png", i % 3 == 0 ? "s1" : "s2", i < 4, SyntheticDataset.Image(8, i, i < 4))).ToList();
        var data = ImageDataset.FromImages("sources", images);
        Assert.Equal(BalancedBatchSampler.Plan([.. data.IndicesOf(false)], [.. data.IndicesOf(true)], 4, 3, 2),
                     BalancedBatchSampler.Plan(data, 4, 3, 2, sourcePower: 1));
        Assert.NotEqual(BalancedBatchSampler.Plan(data, 4, 3, 2, sourcePower: 1), BalancedBatchSampler.Plan(data, 4, 3, 2, sourcePower: 0.5));
    }

    [Fact]
    public void Crops_stay_inside_and_center_crop_matches_torchvision()
    {
        Assert.Equal(new CropWindow(16, 16, 224, false), CropWindow.Center(256, 256, 224));
        var random = SeededRandom.For(3);
        bool sawFlip = false, sawNoFlip = false;
        for (int i = 0; i < 200; i++)
        {
            var w = CropWindow.Random(random, 256, 256, 224, allowFlip: true);
            Assert.InRange(w.Top, 0, 32);
            Assert.InRange(w.Left, 0, 32);
            sawFlip |= w.Flip;
            sawNoFlip |= !w.Flip;
        }
        Assert.True(sawFlip && sawNoFlip);
        var image = SyntheticDataset.Image(8, 1, false);
        var flipped = ImageCropper.Crop(image, new CropWindow(1, 2, 4, true));
        Assert.Equal(image.Pixels.AsSpan(((1 * 8) + 5) * 3, 3).ToArray(), flipped.Pixels.AsSpan(0, 3).ToArray()); // row 1, column 2+3
    }

    [Fact]
    public void Augmentation_is_off_by_default_and_reproducible_when_on()
    {
        var image = SyntheticDataset.Image(64, 2, true);
        Assert.Same(image, Augmenter.Apply(image, AugmentationOptions.None, SeededRandom.For(1)));
        var jpeg = new AugmentationOptions(JpegProbability: 1, JpegQualityMin: 50, JpegQualityMax: 60);
        var a = Augmenter.Apply(image, jpeg, SeededRandom.For(1, 5));
        var b = Augmenter.Apply(image, jpeg, SeededRandom.For(1, 5));
        Assert.Equal(a.Pixels, b.Pixels);
        Assert.NotEqual(image.Pixels, a.Pixels); // the checkerboard does not survive JPEG at q50-60 unchanged
        var all = new AugmentationOptions(1, 70, 90, 1, 0.5, 1.0, 1, 0.5);
        var c = Augmenter.Apply(image, all, SeededRandom.For(2));
        Assert.Equal((64, 64), (c.Width, c.Height));
        Assert.Equal(1.0, GaussianBlur.Kernel(1.3).Sum(), 5);
        Assert.Throws<ArgumentException>(() => new AugmentationOptions(JpegProbability: 1.5).Validated());
        Assert.Throws<ArgumentException>(() => new AugmentationOptions(JpegQualityMin: 90, JpegQualityMax: 80).Validated());
        Assert.Equal("jpeg p=0.5 q=60-100", new AugmentationOptions(JpegProbability: 0.5).ToString());
    }
}
