namespace FastLaDeDa.Bench.Files;

/// <summary>One input of the <c>files</c> report: a centred <see cref="Width"/> × <see cref="Height"/> crop of the source photo, encoded as <see cref="Kind"/>.</summary>
public sealed record BenchFileSpec(string Name, int Width, int Height, BenchFileKind Kind)
{
    /// <summary>The inputs, smallest first: JPEG at the three sizes the issue names, plus one of each other encoding.</summary>
    public static IReadOnlyList<BenchFileSpec> All { get; } =
    [
        new("0.3mp.jpg", 640, 480, BenchFileKind.Jpeg),
        new("1mp.webp", 1152, 864, BenchFileKind.WebP),
        new("2mp.jpg", 1600, 1200, BenchFileKind.Jpeg),
        new("2mp.png", 1600, 1200, BenchFileKind.Png),
        new("12mp.jpg", 4000, 3000, BenchFileKind.Jpeg),
        new("12mp-progressive.jpg", 4000, 3000, BenchFileKind.ProgressiveJpeg),
    ];

    /// <summary>Millions of pixels.</summary>
    public double Megapixels => Width * (double)Height / 1e6;

    /// <summary>The kind as bench/python/make_inputs.py names it.</summary>
    public string ScriptKind => Kind switch
    {
        BenchFileKind.Jpeg => "jpeg",
        BenchFileKind.ProgressiveJpeg => "progressive",
        BenchFileKind.Png => "png",
        _ => "webp",
    };

    /// <summary>For the report: e.g. "JPEG q92 4:2:0".</summary>
    public string Encoding => Kind switch
    {
        BenchFileKind.Jpeg => "JPEG q92 4:2:0",
        BenchFileKind.ProgressiveJpeg => "progressive JPEG q92 4:2:0",
        BenchFileKind.Png => "PNG",
        _ => "WebP lossy q90",
    };
}
