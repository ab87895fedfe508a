using FastLaDeDa.Imaging.Formats.Webp;
using FastLaDeDa.Tests.Support;

namespace FastLaDeDa.Tests.Imaging.Webp;

/// <summary>
/// Lossy WebPs made by cwebp at test time, decoded by <see cref="Vp8Decoder"/> and compared byte
/// for byte with dwebp's RGB (libwebp's fancy upsampling, what Pillow 9.4 returns): encoder
/// settings that change what the decoder must do (quality, filter type, strength and sharpness,
/// segments, partition limits, alpha), odd and tiny sizes, flat and noisy content, real photos.
/// </summary>
public sealed class Vp8DecodeTests
{
    public static TheoryData<string> EncoderSettings =>
    [
        "-q 75",
        "-q 0 -m 0",
        "-q 5 -f 100 -sharpness 0 -strong",
        "-q 30 -f 60 -sharpness 7 -strong -sns 100",
        "-q 50 -f 40 -sharpness 3 -nostrong",
        "-q 60 -f 90 -sharpness 5 -nostrong -segments 1",
        "-q 80 -f 0",
        "-q 90 -m 6 -segments 4 -sns 0",
        "-q 95 -af -m 5",
        "-q 100 -m 2 -f 20",
        "-q 70 -partition_limit 100 -segments 2",
        "-q 40 -pass 6 -psnr 38",
        "-q 65 -sharp_yuv -f 70 -sharpness 2",
        "-preset text -q 50",
    ];

    [SkippableTheory]
    [MemberData(nameof(EncoderSettings))]
    public void Synthetic_image_matches_libwebp(string settings)
    {
        Vp8TestSupport.RequireTools();
        using var dir = new TempDirectory();
        string input = Vp8TestSupport.WritePpm(dir, "in.ppm", 83, 61, Vp8TestSupport.SyntheticRgb(83, 61, seed: 1));
        Vp8TestSupport.AssertMatchesLibwebp(dir, input, "out.webp", settings.Split(' '));
    }

    [SkippableTheory]
    [InlineData(1, 1)]
    [InlineData(1, 9)]
    [InlineData(9, 1)]
    [InlineData(2, 2)]
    [InlineData(17, 3)]
    [InlineData(3, 17)]
    [InlineData(16, 16)]
    [InlineData(33, 2)]
    [InlineData(31, 47)]
    public void Tiny_and_odd_sizes_match_libwebp(int width, int height)
    {
        Vp8TestSupport.RequireTools();
        using var dir = new TempDirectory();
        string smooth = Vp8TestSupport.WritePpm(dir, "smooth.ppm", width, height, Vp8TestSupport.SyntheticRgb(width, height, seed: width * 100 + height));
        string noise = Vp8TestSupport.WritePpm(dir, "noise.ppm", width, height, Vp8TestSupport.RandomBytes(width * height * 3, seed: width + height));
        Vp8TestSupport.AssertMatchesLibwebp(dir, smooth, "a.webp", "-q", "70");
        Vp8TestSupport.AssertMatchesLibwebp(dir, noise, "b.webp", "-q", "90", "-f", "50", "-strong");
        Vp8TestSupport.AssertMatchesLibwebp(dir, noise, "c.webp", "-q", "20", "-f", "80", "-nostrong");
    }

    [SkippableFact]
    public void Flat_colours_and_noise_match_libwebp()
    {
        Vp8TestSupport.RequireTools();
        using var dir = new TempDirectory();
        byte[] flat = new byte[40 * 24 * 3];
        for (int i = 0; i < flat.Length; i += 3) (flat[i], flat[i + 1], flat[i + 2]) = ((byte)200, (byte)30, (byte)90);
        string flatPath = Vp8TestSupport.WritePpm(dir, "flat.ppm", 40, 24, flat);
        Vp8TestSupport.AssertMatchesLibwebp(dir, flatPath, "flat.webp", "-q", "75");
        Vp8TestSupport.AssertMatchesLibwebp(dir, flatPath, "flat100.webp", "-q", "100");
        string noise = Vp8TestSupport.WritePpm(dir, "noise.ppm", 120, 90, Vp8TestSupport.RandomBytes(120 * 90 * 3, seed: 7));
        Vp8TestSupport.AssertMatchesLibwebp(dir, noise, "noise100.webp", "-q", "100", "-m", "6");
        Vp8TestSupport.AssertMatchesLibwebp(dir, noise, "noise0.webp", "-q", "0", "-f", "100");
    }

    [SkippableTheory]
    [InlineData("0")]
    [InlineData("50")]
    [InlineData("100")]
    public void Rgb_of_an_image_with_alpha_matches_libwebp(string alphaQuality)
    {
        Vp8TestSupport.RequireTools();
        using var dir = new TempDirectory();
        const int Width = 70, Height = 45;
        byte[] rgb = Vp8TestSupport.SyntheticRgb(Width, Height, seed: 3);
        var rgba = new byte[Width * Height * 4];
        for (int i = 0; i < Width * Height; i++)
        {
            rgb.AsSpan(3 * i, 3).CopyTo(rgba.AsSpan(4 * i));
            rgba[4 * i + 3] = (byte)(i * 7 % 256);
        }
        string input = Vp8TestSupport.WritePamRgba(dir, "in.pam", Width, Height, rgba);
        // The file is VP8X + ALPH + VP8: the VP8 chunk alone decodes to dwebp's RGB.
        Vp8TestSupport.AssertMatchesLibwebp(dir, input, "alpha.webp", "-q", "80", "-alpha_q", alphaQuality);
    }

    [SkippableTheory]
    [InlineData("fake_progan_png256.png", "-q 90")]
    [InlineData("fake_cifake_jpg32.jpg", "-q 75 -f 100 -strong")]
    [InlineData("noise_rgb_301x199.png", "-q 60 -nostrong -sharpness 4")]
    [InlineData("noise_rgba_240x160.png", "-q 85 -alpha_q 30")]
    [InlineData("real_food_jpg800.jpg", "-q 90 -m 4")]
    public void Shared_images_match_libwebp(string image, string settings)
    {
        Vp8TestSupport.RequireTools();
        string input = SharedData.Require("golden", "images", image);
        using var dir = new TempDirectory();
        Vp8TestSupport.AssertMatchesLibwebp(dir, input, "shared.webp", settings.Split(' '));
    }

    [SkippableFact]
    public void Writes_every_pixel_byte_and_nothing_between_rows()
    {
        Vp8TestSupport.RequireTools();
        using var dir = new TempDirectory();
        const int Width = 37, Height = 23, Stride = Width * 3 + 11;
        string input = Vp8TestSupport.WritePpm(dir, "in.ppm", Width, Height, Vp8TestSupport.SyntheticRgb(Width, Height, seed: 9));
        string webp = Vp8TestSupport.Encode(dir, input, "out.webp", "-q", "80");
        byte[] expected = Vp8TestSupport.Reference(dir, webp, out _, out _)!;
        byte[] chunk = Vp8TestSupport.Vp8Chunk(File.ReadAllBytes(webp));

        // Two different fills: a byte left unwritten would differ between the two decodes.
        foreach (byte fill in new byte[] { 0x00, 0xA5 })
        {
            var buffer = new byte[(Height - 1) * Stride + Width * 3];
            buffer.AsSpan().Fill(fill);
            Vp8Decoder.Decode(chunk, buffer, Stride, "stride");
            for (int y = 0; y < Height; y++)
            {
                Assert.Equal(expected.AsSpan(y * Width * 3, Width * 3).ToArray(), buffer.AsSpan(y * Stride, Width * 3).ToArray());
                if (y < Height - 1) Assert.All(buffer.AsSpan(y * Stride + Width * 3, Stride - Width * 3).ToArray(), b => Assert.Equal(fill, b));
            }
        }
    }

    [Fact]
    public void Output_buffer_and_stride_are_checked()
    {
        // 16x16 key frame header; the body is never reached.
        byte[] chunk = [0x50, 0x01, 0x00, 0x9d, 0x01, 0x2a, 16, 0, 16, 0, .. new byte[40]];
        Assert.Equal((16, 16), Vp8Decoder.ReadSize(chunk, null));
        Assert.Throws<ArgumentOutOfRangeException>(() => Vp8Decoder.Decode(chunk, new byte[16 * 48], 47, null));
        Assert.Throws<ArgumentException>(() => Vp8Decoder.Decode(chunk, new byte[16 * 48 - 1], 48, null));
    }
}
