using FastLaDeDa.Errors;
using FastLaDeDa.Imaging;

namespace FastLaDeDa.Tests.Support;

/// <summary>Decoding helpers for the image format tests.</summary>
internal static class TestDecode
{
    /// <summary>Decodes <paramref name="file"/>, checks its size and returns its RGB bytes.</summary>
    public static byte[] Pixels(byte[] file, int width, int height)
    {
        Rgb24Image image = ImageDecoder.Decode(file);
        Assert.Equal((width, height), (image.Width, image.Height));
        return image.Pixels;
    }

    /// <summary>Asserts that decoding <paramref name="file"/> fails with exactly <typeparamref name="T"/> and a cause containing <paramref name="cause"/>.</summary>
    public static T Rejects<T>(byte[] file, string cause) where T : ImageDecodeException
    {
        var e = Assert.Throws<T>(() => ImageDecoder.Decode(file, "test.img"));
        Assert.Contains(cause, e.Cause);
        Assert.Equal($"test.img: {e.Cause}", e.Message);
        return e;
    }

    /// <summary>RGB bytes of the given colours, one pixel each.</summary>
    public static byte[] Rgb(params (byte R, byte G, byte B)[] pixels) => [.. pixels.SelectMany(p => new[] { p.R, p.G, p.B })];

    /// <summary>RGB bytes of grey levels, one pixel each.</summary>
    public static byte[] Grey(params byte[] levels) => [.. levels.SelectMany(v => new[] { v, v, v })];
}
