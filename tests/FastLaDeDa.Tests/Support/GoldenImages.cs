namespace FastLaDeDa.Tests.Support;

/// <summary>The images in ../shared/golden/images, as xunit theory data (file names; the tests skip when absent).</summary>
internal static class GoldenImages
{
    public static readonly string[] Png =
    [
        "real_progan_png256.png", "fake_progan_png256.png", "real_photo_png512.png", "fake_sd1_png512.png",
        "real_gray_png512.png", "noise_rgb_301x199.png", "noise_rgba_240x160.png", "palette_255x257.png",
    ];

    public static readonly string[] Jpeg =
    [
        "real_food_jpg800.jpg", "fake_diffusion_jpg559.jpg", "real_nature_progressive_jpg888.jpg",
        "fake_people_jpg1120.jpg", "fake_cifake_jpg32.jpg",
    ];

    public static TheoryData<string> PngData() => [.. Png];

    public static TheoryData<string> JpegData() => [.. Jpeg];

    public static TheoryData<string> AllData() => [.. Png, .. Jpeg];

    /// <summary>Full path of a golden image; skips the calling test when it is absent.</summary>
    public static string PathOf(string fileName) => SharedData.Require("golden", "images", fileName);

    /// <summary>The golden tensor name stem of an image file ("NAME" of "NAME.EXT").</summary>
    public static string Stem(string fileName) => Path.GetFileNameWithoutExtension(fileName);
}
