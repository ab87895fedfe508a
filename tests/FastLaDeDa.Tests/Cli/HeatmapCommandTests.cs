using System.Globalization;
using FastLaDeDa.Detection;
using FastLaDeDa.Imaging;
using FastLaDeDa.Models;
using FastLaDeDa.Preprocessing;
using FastLaDeDa.Tests.Support;

namespace FastLaDeDa.Tests.Cli;

public class HeatmapCommandTests
{
    private const string Image = "fake_progan_png256"; // 256×256: the figure shows it at 3×

    // The figure's layout (src/FastLaDeDa.Cli/Rendering/HeatmapRenderer.cs): a 256×256 image is
    // drawn 3× enlarged, 64 px from the left edge and 44 px from the top, with 118 px on the right
    // (colour bar) and 52 px below (x axis).
    private const int PlotLeft = 64, PlotTop = 44, PlotScale = 3;
    private const int FigureWidth = PlotLeft + 3 * 256 + 118, FigureHeight = PlotTop + 3 * 256 + 52;

    // The strip's layout (PatchStripRenderer.cs): 7×7 windows at 12× (84 px), 12 px apart and from
    // the edges, with a 40 px caption under each.
    private const int Tile = 84, Gap = 12, StripHeight = Gap + Tile + 40;

    private static string WildRf => Goldens.OfficialCheckpoint("WildRF_Tiny_LaDeDa.pth");

    private static PatchMap ExpectedMap(string imagePath)
    {
        using var detector = Detector.Load(WildRf, new DetectorOptions { Preprocess = PreprocessKind.RightDiag });
        return detector.Score(imagePath, includePatchMap: true).PatchMap!;
    }

    private static CliRunner.Result Heatmap(params string[] args) =>
        CliRunner.Run(["heatmap", "--weights", WildRf, "--preprocess", "right_diag", .. args]);


    private static (byte R, byte G, byte B) Pixel(Rgb24Image image, int x, int y)
    {
        int i = (y * image.Width + x) * 3;
        return (image.Pixels[i], image.Pixels[i + 1], image.Pixels[i + 2]);
    }

    [SkippableFact]
    public void Draws_the_patch_map_over_the_image()
    {
        using var dir = new TempDirectory();
        string output = dir.File("figure.png");
        var r = Heatmap(Goldens.ImagePath(Image), "-o", output);
        Assert.Equal(0, r.ExitCode);
        Assert.Empty(r.ErrorLines);
        Assert.StartsWith($"wrote {output}: ", r.StdOut);
        Assert.Contains("P(fake) ", r.StdOut);

        Rgb24Image figure = ImageDecoder.Decode(output);
        Assert.Equal((FigureWidth, FigureHeight), (figure.Width, figure.Height));

        // A real picture, not a blank canvas: many colours, and inside the plot both the red of
        // fake patches and the blue of real ones (the map has both signs).
        PatchMap map = ExpectedMap(Goldens.ImagePath(Image));
        Assert.Contains(map.Logits, v => v > 0);
        Assert.Contains(map.Logits, v => v < 0);
        var colours = new HashSet<int>();
        int reddish = 0, bluish = 0;
        for (int y = PlotTop; y < PlotTop + 3 * 256; y++)
        {
            for (int x = PlotLeft; x < PlotLeft + 3 * 256; x++)
            {
                var (red, green, blue) = Pixel(figure, x, y);
                colours.Add(red << 16 | green << 8 | blue);
                if (red > blue + 60 && red > green + 40) reddish++;
                if (blue > red + 60) bluish++;
            }
        }
        Assert.True(colours.Count > 5000, $"{colours.Count} distinct colours");
        Assert.True(reddish > 1000, $"{reddish} reddish pixels");
        Assert.True(bluish > 1000, $"{bluish} bluish pixels");
    }

    [SkippableFact]
    public void The_colours_follow_the_sign_of_the_map_at_each_receptive_field_centre()
    {
        // With a tiny --limit every cell takes an end colour: dark red for logit > 0, dark blue for < 0.
        using var dir = new TempDirectory();
        string output = dir.File("saturated.png");
        Assert.Equal(0, Heatmap(Goldens.ImagePath(Image), "-o", output, "--limit", "0.001").ExitCode);
        Rgb24Image figure = ImageDecoder.Decode(output);
        PatchMap map = ExpectedMap(Goldens.ImagePath(Image));

        // Cell (row, col) is centred on pixel (2·col + 3, 2·row + 3). Test the cells whose 3×3
        // neighbourhood shares its sign, so the interpolated colour there is unambiguous.
        int tested = 0, agree = 0;
        for (int row = 1; row < map.Height - 1; row++)
        {
            for (int col = 1; col < map.Width - 1; col++)
            {
                bool positive = map[row, col] > 0, uniform = true;
                for (int dy = -1; dy <= 1; dy++)
                    for (int dx = -1; dx <= 1; dx++)
                        uniform &= map[row + dy, col + dx] > 0 == positive && map[row + dy, col + dx] != 0;
                if (!uniform) continue;
                var (red, _, blue) = Pixel(figure, PlotLeft + PlotScale * (2 * col + 3) + 1, PlotTop + PlotScale * (2 * row + 3) + 1);
                tested++;
                if (red > blue == positive) agree++;
            }
        }
        Assert.True(tested > 300, $"only {tested} cells tested");
        Assert.Equal(tested, agree);
    }

    [SkippableFact]
    public void Top_k_draws_and_lists_the_k_largest_logits()
    {
        using var dir = new TempDirectory();
        string output = dir.File("figure.png");
        var r = Heatmap(Goldens.ImagePath(Image), "-o", output, "--top", "5");
        Assert.Equal(0, r.ExitCode);
        string strip = dir.File("figure.top.png");
        Assert.Contains($"wrote {strip}: ", r.StdOut);

        // stdout lists the patches after a header: rank, row, col, logit, x, y.
        string[] lines = r.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        int header = Array.IndexOf(lines, "rank\trow\tcol\tlogit\tx\ty");
        Assert.True(header >= 0, r.StdOut);
        var listed = lines[(header + 1)..].Select(l => l.Split('\t')).ToArray();
        Assert.Equal(5, listed.Length);

        PatchMap map = ExpectedMap(Goldens.ImagePath(Image));
        var chosen = new HashSet<int>();
        float previous = float.PositiveInfinity;
        for (int k = 0; k < listed.Length; k++)
        {
            string[] f = listed[k];
            Assert.Equal(6, f.Length);
            int rank = int.Parse(f[0], CultureInfo.InvariantCulture), row = int.Parse(f[1], CultureInfo.InvariantCulture), col = int.Parse(f[2], CultureInfo.InvariantCulture);
            double logit = double.Parse(f[3], CultureInfo.InvariantCulture);
            Assert.Equal(k + 1, rank);
            Assert.Equal(map[row, col], logit, 1e-3);
            Assert.Equal((2 * col, 2 * row), (int.Parse(f[4], CultureInfo.InvariantCulture), int.Parse(f[5], CultureInfo.InvariantCulture)));
            Assert.True(map[row, col] <= previous, "listed from the highest logit down");
            previous = map[row, col];
            chosen.Add(row * map.Width + col);
        }
        Assert.Equal(5, chosen.Count);
        float highestLeftOut = Enumerable.Range(0, map.Logits.Length).Where(i => !chosen.Contains(i)).Max(i => map.Logits[i]);
        Assert.True(previous >= highestLeftOut, $"the 5th listed logit {previous} is below an unlisted {highestLeftOut}");

        // The strip: five tiles side by side, each a different window of the image.
        Rgb24Image image = ImageDecoder.Decode(strip);
        Assert.Equal((5 * Tile + 6 * Gap, StripHeight), (image.Width, image.Height));
        var tiles = Enumerable.Range(0, 5).Select(k => TilePixels(image, Gap + k * (Tile + Gap), Gap)).ToArray();
        foreach (byte[] tile in tiles)
            Assert.True(tile.Distinct().Count() > 4, "a tile shows image content, not a flat colour");
        for (int a = 0; a < tiles.Length; a++)
            for (int b = a + 1; b < tiles.Length; b++)
                Assert.False(tiles[a].AsSpan().SequenceEqual(tiles[b]), $"tiles {a + 1} and {b + 1} are identical");
    }

    private static byte[] TilePixels(Rgb24Image image, int left, int top)
    {
        var pixels = new byte[Tile * Tile * 3];
        for (int y = 0; y < Tile; y++)
            image.Pixels.AsSpan(((top + y) * image.Width + left) * 3, Tile * 3).CopyTo(pixels.AsSpan(y * Tile * 3));
        return pixels;
    }

    [SkippableFact]
    public void Top_output_names_the_strip_and_k_is_capped_by_the_map()
    {
        using var dir = new TempDirectory();
        // 9×9 at native resolution: a 3×3 map, so --top 20 draws all 9 patches.
        var rgb = new byte[9 * 9 * 3];
        new Random(7).NextBytes(rgb);
        string input = dir.Write("small.bmp", BmpWriter.Encode(9, 9, rgb));
        string strip = dir.File("patches.png");
        var r = Heatmap(input, "--no-resize", "-o", dir.File("figure.png"), "--top", "20", "--top-output", strip);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(9, r.StdOut.Split('\n').Count(l => l.Length > 0 && char.IsAsciiDigit(l[0])));
        Rgb24Image image = ImageDecoder.Decode(strip);
        Assert.Equal(9 * Tile + 10 * Gap, image.Width);
        Assert.False(File.Exists(dir.File("figure.top.png")));
    }

    [SkippableFact]
    public void A_missing_image_gives_one_error_line()
    {
        using var dir = new TempDirectory();
        string missing = dir.File("missing.png"), output = dir.File("figure.png");
        CliAssert.OneErrorLine(Heatmap(missing, "-o", output), missing, "not found", exitCode: 1);
        Assert.False(File.Exists(output));
    }

    [SkippableFact]
    public void An_unwritable_output_path_gives_one_error_line_before_any_work()
    {
        using var dir = new TempDirectory();
        string image = Goldens.ImagePath(Image);

        string inMissingDir = Path.Combine(dir.Path, "no-such-dir", "figure.png");
        CliAssert.OneErrorLine(Heatmap(image, "-o", inMissingDir), inMissingDir, "does not exist", exitCode: 2);

        CliAssert.OneErrorLine(Heatmap(image, "-o", dir.Path), dir.Path, "is a directory", exitCode: 2);

        string strip = Path.Combine(dir.Path, "no-such-dir", "strip.png"), figure = dir.File("figure.png");
        CliAssert.OneErrorLine(Heatmap(image, "-o", figure, "--top", "3", "--top-output", strip), strip, "does not exist", exitCode: 2);
        Assert.False(File.Exists(figure)); // refused before drawing anything
    }

    [Fact]
    public void Bad_weights_stop_with_one_line_naming_the_file()
    {
        using var dir = new TempDirectory();
        byte[] header = new byte[16];
        BitConverter.GetBytes(1_000_000L).CopyTo(header, 0); // header length far past the end of the file
        string bad = dir.Write("bad.safetensors", header);
        string image = dir.Write("img.bmp", BmpWriter.Encode(8, 8, new byte[192]));
        var r = CliRunner.Run("heatmap", "--weights", bad, image, "-o", dir.File("figure.png"));
        CliAssert.OneErrorLine(r, bad, "header", exitCode: 2);
    }

    [SkippableFact]
    public void A_pth_without_preprocess_uses_right_diag_and_says_so()
    {
        using var dir = new TempDirectory();
        var r = CliRunner.Run("heatmap", "--weights", WildRf, Goldens.ImagePath(Image), "-o", dir.File("figure.png"));
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("warning: ", r.StdErr);
        Assert.Contains("assuming right_diag", r.StdErr);
    }
}
