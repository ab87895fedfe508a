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

    [Fact]
    public void Reciprocal_division_equals_IEEE_division_for_every_byte_value_and_channel()
    {
        // The fused kernel divides by multiplying when this holds: check it independently of the
        // library's own self-check, bit for bit, over the whole input domain.
        Assert.True(ImageNetNormalization.ReciprocalDivisionIsExact);
        var by255 = new ReciprocalDivisor(255f);
        for (int c = 0; c < 3; c++)
        {
            var byStd = new ReciprocalDivisor(ImageNetNormalization.Std[c]);
            for (int v = 0; v < 256; v++)
            {
                float scaled = v / 255f;
                Assert.Equal(BitConverter.SingleToInt32Bits(scaled), BitConverter.SingleToInt32Bits(by255.Divide(v)));
                float centred = scaled - ImageNetNormalization.Mean[c];
                Assert.Equal(BitConverter.SingleToInt32Bits(centred / ImageNetNormalization.Std[c]), BitConverter.SingleToInt32Bits(byStd.Divide(centred)));
            }
        }
    }

    [Fact]
    public void Reciprocal_division_alone_is_not_exact_which_is_why_the_correction_step_exists()
    {
        // A plain multiplication by 1/255 misses IEEE division for about half the byte values.
        float reciprocal = 1f / 255f;
        int misses = Enumerable.Range(0, 256).Count(v => v * reciprocal != v / 255f);
        Assert.InRange(misses, 1, 255);
    }
}
