using System.ComponentModel;
using System.Diagnostics;
using System.Security.Cryptography;
using FastLaDeDa.Imaging.Resize;
using FastLaDeDa.Imaging;
using FastLaDeDa.Tests.Support;
using FastLaDeDa.Training.Data;
using StbImageWriteSharp;

namespace FastLaDeDa.Training.Tests;

/// <summary>
/// <c>stage-extra</c> on a small git fixture built here (no network, no ../shared): the staged pixels
/// are decode → crop → Pillow BILINEAR exactly, and every bad row or missing object is a clear error.
/// </summary>
public sealed class ExtraStagingTests : IDisposable
{
    private const string Header = "source,label,repo,commit,path,blob_sha1,crop,width,height,format,generator";
    private const string Repo = "own/pics";
    private readonly TempDirectory _temp = new();
    private string _commit = "";
    private readonly Dictionary<string, byte[]> _files = [];

    public void Dispose() => _temp.Dispose();

    [SkippableFact]
    public void Stages_whole_cropped_and_gemini_rows_as_decode_crop_resize_and_skips_tiff_by_format()
    {
        BuildFixture();
        var manifest = Manifest(
            Row("fix_real", "0_real", "img/photo one.png", crop: "", 300, 200, "PNG", "\"camera, \"\"quoted\"\"\""),
            Row("fix_real", "0_real", "img/photo one.png", crop: "10 20 150 180", 140, 160, "PNG", "tile"),
            Row("fix_fake", "1_fake", "img/gen.jpg", crop: "", 180, 120, "JPEG", "x"),
            Row(ExtraStager.GeminiMarkSource, "1_fake", "img/gen.jpg", crop: "", 180, 120, "JPEG", "gemini"),
            Row("fix_real", "0_real", "img/scan.tif", crop: "", 4, 4, "TIFF", "scan"));
        Assert.Equal("camera, \"quoted\"", manifest.Rows[0].Generator);
        string output = _temp.File("out");
        var result = Stage(manifest, output);

        Assert.Equal(["0_real/fix_real__img_photo_one.png.png", "0_real/fix_real__img_photo_one.png__10_20_150_180.png",
                      "1_fake/fix_fake__img_gen.jpg.png", "1_fake/gpt_image_prompts_songguoxs__img_gen.jpg.png"],
                     result.Staged.Select(s => s.File));
        Assert.Equal("img/scan.tif", Assert.Single(result.Skipped).Path);
        var png = ImageDecoder.Decode(_files["img/photo one.png"]);
        var jpg = ImageDecoder.Decode(_files["img/gen.jpg"]);
        AssertPixels(PillowResize.Bilinear(png, 256, 256), Path.Combine(output, result.Staged[0].File));
        AssertPixels(PillowResize.Bilinear(new CropBox(10, 20, 150, 180).Apply(png), 256, 256), Path.Combine(output, result.Staged[1].File));
        AssertPixels(PillowResize.Bilinear(jpg, 256, 256), Path.Combine(output, result.Staged[2].File));
        // Gemini's corner mark: the right and bottom 6 % go before the resize (180 → 169, 120 → 112).
        AssertPixels(PillowResize.Bilinear(new CropBox(0, 0, 169, 112).Apply(jpg), 256, 256), Path.Combine(output, result.Staged[3].File));
        Assert.Equal(5, File.ReadAllLines(Path.Combine(output, ExtraStager.StagedCsvName)).Length);
        Assert.Equal("fix_real", DatasetImage.SourceOf(Path.GetFileName(result.Staged[1].File)));

        // A rerun over its own output replaces it; a folder it did not make is refused.
        Assert.Single(Stage(manifest, output, ["fix_fake"]).Staged);
        Assert.Single(Directory.GetFiles(output, "*.png", SearchOption.AllDirectories));
        Directory.CreateDirectory(_temp.File("foreign"));
        File.WriteAllText(_temp.File("foreign/keep.txt"), "x");
        var ex = Assert.Throws<DatasetException>(() => Stage(manifest, _temp.File("foreign")));
        Assert.Contains("not made by stage-extra", ex.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Sha1_mismatch_missing_path_commit_and_mirror_are_all_reported_by_name_and_nothing_is_written()
    {
        BuildFixture();
        const string wrong = "0123456789abcdef0123456789abcdef01234567";
        var manifest = Manifest(
            Row("fix_real", "0_real", "img/photo one.png", "", 300, 200, "PNG", "ok"),
            Row("bad_hash", "0_real", "img/gen.jpg", "", 180, 120, "JPEG", "bad hash", sha1: wrong),
            Row("no_path", "0_real", "img/nowhere.png", "", 10, 10, "PNG", "missing path", sha1: wrong),
            Row("no_commit", "0_real", "img/gen.jpg", "", 10, 10, "JPEG", "missing commit", sha1: wrong, commit: new string('a', 40)),
            Row("no_mirror", "0_real", "img/gen.jpg", "", 10, 10, "JPEG", "missing mirror", sha1: wrong, repo: "own/absent"));
        string output = _temp.File("out");
        var ex = Assert.Throws<DatasetException>(() => Stage(manifest, output));
        string actual = Convert.ToHexStringLower(SHA1.HashData(_files["img/gen.jpg"]));
        Assert.Contains("4 of 5 file(s) cannot be staged", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"bad_hash: {Repo}@{_commit}:img/gen.jpg: SHA-1 of the file is {actual}, the manifest says {wrong}", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"no_path: {Repo}@{_commit}:img/nowhere.png: path not in that commit", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"no_commit: {Repo}@{new string('a', 40)}:img/gen.jpg: commit not in the mirror", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"no_mirror: own/absent@{_commit}:img/gen.jpg: no mirror of own/absent", ex.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));
        Assert.False(Directory.Exists(output + ".partial"));
    }

    [Fact]
    public void Malformed_rows_are_errors_with_their_line_numbers()
    {
        string sha = new('b', 40), commit = new('c', 40);
        var ex = Assert.Throws<DatasetException>(() => ExtraManifest.Parse(string.Join('\n',
            Header,
            $"s,0_real,o/r,{commit},a.png,{sha},,1,1,PNG,\"fine, with a comma\"",
            $"s,0_real,o/r,{commit},a.png,{sha},,1,1,PNG",
            $"s,2_other,o/r,{commit},a.png,{sha},,1,1,PNG,g",
            $"s,0_real,o/r,{commit},a.png,{sha},1 2 3,1,1,PNG,g",
            $"s,0_real,o/r,{commit},a.png,xyz,,1,1,PNG,g",
            $"s,1_fake,CompVis/stable-diffusion,{commit},a.png,{sha},,1,1,PNG,g"), "m.csv"));
        Assert.Contains("m.csv: 5 bad rows", ex.Message, StringComparison.Ordinal);
        Assert.Contains("m.csv:3: 10 columns, expected 11", ex.Message, StringComparison.Ordinal);
        Assert.Contains("m.csv:4: label '2_other'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("m.csv:5: crop '1 2 3'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("m.csv:6: blob_sha1 'xyz': expected 40 hex digits", ex.Message, StringComparison.Ordinal);
        Assert.Contains("m.csv:7: repo 'CompVis/stable-diffusion' is a reserved evaluation source", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("m.csv:2:", ex.Message, StringComparison.Ordinal);

        var quote = Assert.Throws<DatasetException>(() => ExtraManifest.Parse(Header + "\ns,0_real,o/r,\"unclosed", "q.csv"));
        Assert.Contains("q.csv:2: quoted field is never closed", quote.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_path_taken_again_gets_its_sha1_prefix_and_a_row_listed_twice_is_an_error()
    {
        string a = new('a', 40), b = new('b', 40), commit = new('c', 40);
        string Line(string repo, string sha) => $"s,1_fake,{repo},{commit},models/x y.jpg,{sha},,1,1,JPEG,g";
        var names = ExtraStager.FileNamesOf(ExtraManifest.Parse($"{Header}\n{Line("o/one", a)}\n{Line("o/two", b)}", "m.csv"));
        Assert.Equal(["s__models_x_y.jpg.png", "s__models_x_y.jpg__bbbbbbbb.png"], names);
        var ex = Assert.Throws<DatasetException>(() => ExtraStager.FileNamesOf(ExtraManifest.Parse($"{Header}\n{Line("o/one", a)}\n{Line("o/two", b)}\n{Line("o/two", b)}", "m.csv")));
        Assert.Contains("1_fake/s__models_x_y.jpg__bbbbbbbb.png: lines 3, 4", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Mirrors_are_found_in_every_layout()
    {
        foreach (string layout in new[] { "a+b/repo", "c+d", "e/f.git", "g/h/.git" })
        {
            Directory.CreateDirectory(_temp.File(Path.Combine("m", layout, "objects")));
            File.WriteAllText(_temp.File(Path.Combine("m", layout, "HEAD")), "ref: refs/heads/main\n");
        }
        using var set = new GitMirrorSet(_temp.File("m"));
        Assert.EndsWith("a+b/repo", set.Find("a/b"), StringComparison.Ordinal);
        Assert.EndsWith("c+d", set.Find("c/d"), StringComparison.Ordinal);
        Assert.EndsWith("e/f.git", set.Find("e/f"), StringComparison.Ordinal);
        Assert.EndsWith("g/h/.git", set.Find("g/h"), StringComparison.Ordinal);
        Assert.Null(set.Find("x/y"));
    }

    private ExtraStagingResult Stage(ExtraManifest manifest, string output, string[]? sources = null)
    {
        using var set = new GitMirrorSet(_temp.File("mirrors"));
        return ExtraStager.Stage(manifest, set, output, sources);
    }

    private static void AssertPixels(Rgb24Image expected, string stagedFile)
    {
        var staged = ImageDecoder.Decode(stagedFile);
        Assert.Equal((expected.Width, expected.Height), (staged.Width, staged.Height));
        Assert.True(expected.Pixels.AsSpan().SequenceEqual(staged.Pixels), $"{stagedFile}: pixels differ from decode + crop + resize");
    }

    private static ExtraManifest Manifest(params string[] rows) => ExtraManifest.Parse(Header + "\n" + string.Join('\n', rows) + "\n", "fixture.csv");

    private string Row(string source, string label, string path, string crop, int width, int height, string format, string generator,
                       string? sha1 = null, string? commit = null, string repo = Repo) =>
        $"{source},{label},{repo},{commit ?? _commit},{path},{sha1 ?? Convert.ToHexStringLower(SHA1.HashData(_files[path]))},{crop},{width},{height},{format},{generator}";

    /// <summary>A work repository with a 300×200 PNG, a 180×120 JPEG and a TIFF header, mirrored (bare) to mirrors/own+pics/repo.</summary>
    private void BuildFixture()
    {
        try { Git(_temp.Path, "--version"); }
        catch (Win32Exception) { Skip.If(true, "git is not on PATH; the staging tests build a git fixture"); }
        string work = _temp.File("work");
        Directory.CreateDirectory(Path.Combine(work, "img"));
        var writer = new ImageWriter();
        using (var stream = new MemoryStream())
        {
            writer.WritePng(Pattern(300, 200).Pixels, 300, 200, ColorComponents.RedGreenBlue, stream);
            _files["img/photo one.png"] = stream.ToArray();
        }
        using (var stream = new MemoryStream())
        {
            writer.WriteJpg(Pattern(180, 120).Pixels, 180, 120, ColorComponents.RedGreenBlue, stream, 90);
            _files["img/gen.jpg"] = stream.ToArray();
        }
        _files["img/scan.tif"] = [(byte)'I', (byte)'I', 42, 0, 8, 0, 0, 0, 0, 0];
        foreach (var (path, bytes) in _files) File.WriteAllBytes(Path.Combine(work, path), bytes);
        Git(work, "init", "-q");
        Git(work, "add", ".");
        Git(work, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "fixture");
        _commit = Git(work, "rev-parse", "HEAD").Trim();
        Git(_temp.Path, "clone", "-q", "--mirror", work, _temp.File("mirrors/own+pics/repo"));
    }

    private static Rgb24Image Pattern(int width, int height)
    {
        var random = new Random(width * 7 + height);
        var pixels = new byte[width * height * 3];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = (byte)((i / 3 % width) + (i / (3 * width)) * 2 + random.Next(40));
        return new Rgb24Image(width, height, pixels);
    }

    private static string Git(string folder, params string[] args)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"git {string.Join(' ', args)}: {error}");
        return output;
    }
}
