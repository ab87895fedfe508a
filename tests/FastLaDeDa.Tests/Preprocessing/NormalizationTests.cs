using FastLaDeDa.Imaging;
using FastLaDeDa.Preprocessing;
using FastLaDeDa.Tests.Support;

namespace FastLaDeDa.Tests.Preprocessing;

public class NormalizationTests
{
    [Fact]
    public void Normalizes_each_channel_with_the_ImageNet_statistics()
    {
        // One pixel per extreme: black, white and a mid grey.
        var image = new Rgb24Image(3, 1, [0, 0, 0, 255, 255, 255, 128, 64, 32]);
        ChwTensor t = ImageNetNormalization.Normalize(image);
        Assert.Equal((0f - 0.485f) / 0.229f, t[0, 0, 0]);
        Assert.Equal((1f - 0.456f) / 0.224f, t[1, 0, 1]);
        Assert.Equal((32 / 255f - 0.406f) / 0.225f, t[2, 0, 2]);
        Assert.Equal(-2.1179039f, t[0, 0, 0], 6);
        Assert.Equal(2.64f, t[2, 0, 1], 5);
    }

    [SkippableFact]
    public void Equals_torchvision_on_the_golden_image_bit_for_bit()
    {
        ChwTensor t = ImageNetNormalization.Normalize(Goldens.Image("real_progan_png256.resized"));
        float[] expected = Goldens.Floats("real_progan_png256.normalized");
        Assert.Equal(expected.Length, t.Data.Length);
        Assert.Equal(0, Compare.MaxAbsDiff(expected, t.Data));
    }
}
