using FastLaDeDa.Imaging;
using FastLaDeDa.Imaging.Resize;
using FastLaDeDa.Training.Data;
using FastLaDeDa.Training.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace FastLaDeDa.Training.Tests;

/// <summary>
/// <c>--synthetic-fakes</c>: the up-sampling trace (<see cref="UpsamplingFake"/>) against torch's own
/// nearest up-sampling and convolution, and how batches use it.
/// </summary>
public class SyntheticFakeTests
{
    [Theory]
    [InlineData(64, 64, 1)]
    [InlineData(48, 30, 2)]
    [InlineData(256, 256, 3)]
    public void The_trace_is_a_halving_then_torch_nearest_2x_and_a_3x3_convolution(int width, int height, int seed)
    {
        var real = SyntheticDataset.Image(Math.Max(width, height), seed, isFake: false);
        real = PillowResize.Bilinear(real, width, height);
        double[] kernel = UpsamplingFake.RandomKernel(SeededRandom.For(seed, 9));
        Assert.Equal(1.0, kernel.Sum(), 12);
        Assert.All(kernel, k => Assert.InRange(k, 0, 1));
        var fake = UpsamplingFake.Make(real, kernel);

        // Reference: torch's nearest 2x and conv2d (replicate padding) in float64 on the halved image.
        var half = PillowResize.Bilinear(real, width / 2, height / 2);
        using var scope = NewDisposeScope();
        var x = tensor(half.Pixels.Select(b => (double)b).ToArray(), [1, height / 2, width / 2, 3]).permute(0, 3, 1, 2);
        var up = nn.functional.interpolate(x, scale_factor: [2.0, 2.0], mode: InterpolationMode.Nearest);
        var padded = nn.functional.pad(up, [1, 1, 1, 1], PaddingModes.Replicate);
        var weight = tensor(kernel, [1, 1, 3, 3], ScalarType.Float64).expand(3, 1, 3, 3).contiguous();
        var expected = nn.functional.conv2d(padded, weight, groups: 3).round().clamp(0, 255).permute(0, 2, 3, 1).contiguous();
        byte[] reference = expected.data<double>().ToArray().Select(v => (byte)v).ToArray();

        Assert.Equal((width, height), (fake.Width, fake.Height));
        // torch rounds half to even and sums in another order: a pixel may differ by one where the sum sits on .5.
        int differ = 0;
        for (int i = 0; i < reference.Length; i++)
        {
            Assert.True(Math.Abs(reference[i] - fake.Pixels[i]) <= 1, $"byte {i}: {fake.Pixels[i]} vs torch {reference[i]}");
            if (reference[i] != fake.Pixels[i]) differ++;
        }
        Assert.True(differ <= reference.Length / 10_000, $"{differ} of {reference.Length} bytes differ by one");
        // The trace is the point: the fake is not the real image.
        Assert.NotEqual(real.Pixels, fake.Pixels);
    }

    [Fact]
    public void An_odd_side_repeats_the_last_row_and_column_before_the_convolution()
    {
        var real = PillowResize.Bilinear(SyntheticDataset.Image(16, 4, isFake: false), 7, 5);
        double[] identity = [0, 0, 0, 0, 1, 0, 0, 0, 0];
        var fake = UpsamplingFake.Make(real, identity);
        var half = PillowResize.Bilinear(real, 3, 2);
        for (int y = 0; y < 5; y++)
            for (int x = 0; x < 7; x++)
                Assert.Equal(half.Pixels.AsSpan((Math.Min(y / 2, 1) * 3 + Math.Min(x / 2, 2)) * 3, 3).ToArray(), fake.Pixels.AsSpan((y * 7 + x) * 3, 3).ToArray());
        Assert.Throws<ArgumentException>(() => UpsamplingFake.Make(new Rgb24Image(1, 4, new byte[12]), identity));
        Assert.Throws<ArgumentException>(() => UpsamplingFake.Make(real, identity.AsSpan(1)));
    }

    [Fact]
    public void Batches_swap_fakes_for_synthetic_ones_and_leave_reals_and_every_other_draw_alone()
    {
        var data = TrainingFixtures.Dataset(perClass: 4, size: 48, seed: 5);
        var plan = BalancedBatchSampler.Plan(data, 8, 7, 1)[0];
        using var plain = BatchBuilder.Training(data, plan, 32, AugmentationOptions.None, 7, 1, 0);
        using var never = BatchBuilder.Training(data, plan, 32, new AugmentationOptions(SyntheticFakeProbability: 0), 7, 1, 0);
        using var always = BatchBuilder.Training(data, plan, 32, new AugmentationOptions(SyntheticFakeProbability: 1), 7, 1, 0);
        Assert.Equal(plain.Pixels.data<byte>().ToArray(), never.Pixels.data<byte>().ToArray());
        Assert.Equal(plain.Labels.data<float>().ToArray(), always.Labels.data<float>().ToArray());

        int sample = 32 * 32 * 3, swapped = 0;
        byte[] before = plain.Pixels.data<byte>().ToArray(), after = always.Pixels.data<byte>().ToArray();
        for (int k = 0; k < plan.Length; k++)
        {
            var mine = after.AsSpan(k * sample, sample);
            if (!data.Images[plan[k]].IsFake)
            {
                Assert.True(mine.SequenceEqual(before.AsSpan(k * sample, sample)), $"real sample {k} changed");
                continue;
            }
            // The same crop and flip (the sample's own stream) of the synthetic fake of one of the reals.
            var window = CropWindow.Random(SeededRandom.For(7, RandomStreams.Sample, 1, 0, k), 48, 48, 32, allowFlip: true);
            var kernel = SeededRandom.For(7, RandomStreams.SyntheticFake, 1, 0, k);
            Assert.True(kernel.Chance(1));
            var reals = data.IndicesOf(isFake: false);
            int real = reals[kernel.Next(reals.Count)];
            Assert.False(data.Images[real].IsFake);
            var expected = ImageCropper.Crop(UpsamplingFake.Make(data.Images[real].Image, kernel), window);
            Assert.True(mine.SequenceEqual(expected.Pixels), $"fake sample {k} is not the synthetic fake of real {real}");
            swapped++;
        }
        Assert.Equal(4, swapped);
        Assert.Equal("synthetic-fakes p=0.3", new AugmentationOptions(SyntheticFakeProbability: 0.3).ToString());
        Assert.Throws<ArgumentException>(() => new AugmentationOptions(SyntheticFakeProbability: 1.5).Validated());
    }
}
