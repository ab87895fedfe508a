using System.Globalization;
using FastLaDeDa.Tests.Support;
using FastLaDeDa.Weights;

namespace FastLaDeDa.Tests.Cli;

/// <summary>
/// README.md's "Command line" contract, one test per case: every bad input is one line
/// <c>error: …</c> on stderr (never the help text), exit codes 0/1/2, the program called fastladeda.
/// </summary>
public class CliContractTests
{
    /// <summary>Exactly <paramref name="line"/> on stderr, nothing on stdout, exit 2, no help text anywhere.</summary>
    private static void OneParseError(CliRunner.Result r, string line)
    {
        Assert.Equal(2, r.ExitCode);
        Assert.Equal(line, Assert.Single(r.ErrorLines));
        Assert.Equal("", r.StdOut);
        Assert.DoesNotContain("Usage:", r.StdErr);
        Assert.DoesNotContain("Description:", r.StdErr);
    }

    /// <summary>A random Tiny-LaDeDa safetensors file that names its preprocessing (no shared data needed, no warning).</summary>
    private static string RandomWeights(TempDirectory dir)
    {
        string weights = dir.File("random.safetensors");
        var metadata = new FastLaDeDa.Models.ModelMetadata(FastLaDeDa.Models.ModelKind.TinyLaDeDa, FastLaDeDa.Preprocessing.PreprocessKind.RightDiag, FastLaDeDa.Models.PoolingKind.Mean);
        SafeTensors.Write(weights, RandomTiny.StateDict(41, metadata.ToDictionary()));
        return weights;
    }

    private static byte[] Bmp(int seed) => BmpWriter.Encode(16, 16, Enumerable.Range(0, 768).Select(i => (byte)((i * 31 + seed * 57) % 256)).ToArray());

    [Fact]
    public void No_command_prints_the_overview_and_exits_0()
    {
        foreach (string[] args in new[] { Array.Empty<string>(), ["--help"] })
        {
            var r = CliRunner.Run(args);
            Assert.Equal(0, r.ExitCode);
            Assert.Equal("", r.StdErr);
            Assert.Contains("Usage:", r.StdOut);
            Assert.Contains("detect", r.StdOut);
        }
    }

    [Fact]
    public void Help_and_errors_name_the_program_fastladeda()
    {
        var overview = CliRunner.Run("--help");
        Assert.Contains("  fastladeda [command] [options]", overview.StdOut);
        var detect = CliRunner.Run("detect", "--help");
        Assert.Equal(0, detect.ExitCode);
        Assert.Contains("  fastladeda detect <images>... [options]", detect.StdOut);
        Assert.DoesNotContain("FastLaDeDa.Cli", overview.StdOut + detect.StdOut);
        OneParseError(CliRunner.Run("detect", "--bogus", "x.jpg"), "error: detect: unknown option '--bogus' (see 'fastladeda detect --help')");
    }

    [Fact]
    public void A_misspelt_command_is_one_line_with_the_closest_command()
    {
        OneParseError(CliRunner.Run("detcet", "x.jpg"), "error: unknown command 'detcet'; did you mean 'detect'?");
    }

    [Fact]
    public void An_unknown_command_is_one_line_listing_the_commands()
    {
        OneParseError(CliRunner.Run("frobnicate"), "error: unknown command 'frobnicate'; the commands are detect, heatmap, import, export, eval, calibrate, jpeg-sweep, info, selftest, serve");
    }

    [Fact]
    public void An_error_thrown_by_a_command_is_one_line_not_a_stack_trace()
    {
        // Before: selftest with a LaDeDa engine printed "Unhandled exception: ..." and the stack trace, exit 1.
        var r = CliRunner.Run("selftest", "--engine", "ladeda-avx2");
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("error: engine ladeda-avx2 runs LaDeDa; these weights hold Tiny-LaDeDa", Assert.Single(r.ErrorLines));
        Assert.DoesNotContain("   at ", r.StdErr);
    }

    [Fact]
    public void An_unknown_option_before_the_images_is_an_error_not_a_file()
    {
        // Before: "--bogus" was taken as an image path ("error: --bogus: file not found", exit 1).
        OneParseError(CliRunner.Run("detect", "--bogus", "x.jpg"), "error: detect: unknown option '--bogus' (see 'fastladeda detect --help')");
    }

    [Fact]
    public void A_misspelt_option_is_one_line_with_the_closest_option()
    {
        OneParseError(CliRunner.Run("detect", "--treshold", "0.3", "x.jpg"), "error: detect: unknown option '--treshold'; did you mean '--threshold'?");
        OneParseError(CliRunner.Run("eval", "root", "--skip-bda"), "error: eval: unknown option '--skip-bda'; did you mean '--skip-bad'?");
    }

    [Fact]
    public void A_missing_argument_is_one_line()
    {
        OneParseError(CliRunner.Run("detect"), "error: detect: missing <images> (see 'fastladeda detect --help')");
    }

    [Fact]
    public void A_missing_required_option_is_one_line()
    {
        OneParseError(CliRunner.Run("import", "x.pth", "-o", "y.safetensors"), "error: import: missing required option --preprocess");
        OneParseError(CliRunner.Run("export"), "error: export: missing required option --output (-o FILE: the ONNX file to write)");
    }

    [Fact]
    public void A_value_of_the_wrong_type_is_one_line()
    {
        OneParseError(CliRunner.Run("detect", "--threads-per-image", "abc", "x.jpg"), "error: --threads-per-image: 'abc' is not a whole number");
        OneParseError(CliRunner.Run("heatmap", "x.jpg", "-o", "y.png", "--limit", "wide"), "error: --limit: 'wide' is not a number");
        // Before: an unhandled exception from --limit's and --top's validators (exit 134, stack trace).
        OneParseError(CliRunner.Run("heatmap", "x.jpg", "-o", "y.png", "--top", "many"), "error: --top: 'many' is not a whole number");
    }

    [Fact]
    public void A_stray_argument_is_one_line()
    {
        OneParseError(CliRunner.Run("info", "extra"), "error: info: unexpected argument 'extra'");
    }

    [Fact]
    public void A_file_named_like_an_option_follows_a_double_dash()
    {
        using var dir = new TempDirectory();
        string weights = RandomWeights(dir);
        var r = CliRunner.Run("detect", "--weights", weights, "--", "-x.bmp");
        CliAssert.OneErrorLine(r, "-x.bmp", "file not found", exitCode: 1);
    }

    [Fact]
    public void Detect_scores_a_folder_recursively_in_ordinal_path_order()
    {
        using var dir = new TempDirectory();
        string weights = RandomWeights(dir);
        string images = dir.File("images");
        Directory.CreateDirectory(Path.Combine(images, "sub"));
        foreach (var (name, seed) in new[] { ("b.bmp", 1), ("B.bmp", 2), ("a.BMP", 3), ("sub/c.bmp", 4) })
            File.WriteAllBytes(Path.Combine(images, name), Bmp(seed));
        File.WriteAllText(Path.Combine(images, "notes.txt"), "not an image");
        File.WriteAllText(Path.Combine(images, "sub", "README"), "not an image");

        var r = CliRunner.Run("detect", "--weights", weights, images);
        Assert.True(r.ExitCode == 0, r.StdErr);
        string[] paths = r.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t')[0]).ToArray();
        Assert.Equal(new[] { "B.bmp", "a.BMP", "b.bmp", "sub/c.bmp" }.Select(n => Path.Combine(images, n)), paths);
        Assert.Equal($"note: {images}: skipped 2 file(s) without an image extension", Assert.Single(r.ErrorLines));
    }

    [Fact]
    public void Detect_reads_paths_from_stdin_with_a_dash()
    {
        using var dir = new TempDirectory();
        string weights = RandomWeights(dir);
        string first = dir.Write("first.bmp", Bmp(1)), second = dir.Write("second.bmp", Bmp(2));
        var r = CliRunner.RunWithStdin($"{second}\n\n   \n{first}\r\n", "detect", "--weights", weights, "-");
        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.Equal([second, first], r.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t')[0]));
        Assert.Equal("", r.StdErr);
    }

    [Fact]
    public void A_folder_where_a_file_is_required_is_one_line_is_a_directory()
    {
        using var dir = new TempDirectory();
        string weights = RandomWeights(dir);
        string folder = dir.File("folder");
        Directory.CreateDirectory(folder);
        string image = dir.Write("img.bmp", Bmp(1));
        // Before: "permission denied" (heatmap, import) and "file not found" (--weights).
        Assert.Equal($"error: {folder}: is a directory", Assert.Single(CliRunner.Run("heatmap", "--weights", weights, folder, "-o", dir.File("map.png")).ErrorLines));
        var detect = CliRunner.Run("detect", "--weights", folder, image);
        Assert.Equal(2, detect.ExitCode);
        Assert.Equal($"error: {folder}: is a directory", Assert.Single(detect.ErrorLines));
        var import = CliRunner.Run("import", folder, "--preprocess", "npr", "-o", dir.File("out.safetensors"));
        Assert.Equal(2, import.ExitCode);
        Assert.Equal($"error: {folder}: is a directory", Assert.Single(import.ErrorLines));
    }

    [Fact]
    public void Detect_csv_prints_a_header_and_invariant_culture_rows()
    {
        using var dir = new TempDirectory();
        string weights = RandomWeights(dir);
        string first = dir.Write("one, two.bmp", Bmp(1)), second = dir.Write("three.bmp", Bmp(2));
        var r = CliRunner.RunWithEnvironment(new Dictionary<string, string> { ["LC_ALL"] = "de_DE.UTF-8", ["LANG"] = "de_DE.UTF-8" },
            "detect", "--csv", "--weights", weights, first, second);
        Assert.True(r.ExitCode == 0, r.StdErr);
        var records = CsvTable.Parse(r.StdOut);
        Assert.Equal(["path", "logit", "probability", "label", "threshold"], records[0]);
        Assert.Equal([first, second], records.Skip(1).Select(row => row[0]));
        foreach (var row in records.Skip(1))
        {
            double logit = double.Parse(row[1], CultureInfo.InvariantCulture), p = double.Parse(row[2], CultureInfo.InvariantCulture);
            Assert.Equal(1 / (1 + Math.Exp(-logit)), p, 12);
            Assert.Equal(logit > 0 ? "fake" : "real", row[3]);
            Assert.Equal("0.5", row[4]);
        }
    }

    [Fact]
    public void Detect_json_and_csv_together_is_one_line()
    {
        OneParseError(CliRunner.Run("detect", "--json", "--csv", "x.jpg"), "error: --json and --csv cannot be combined; pick one output format");
    }

    [Fact]
    public void A_zip_that_is_no_checkpoint_is_reported_as_such_by_detect()
    {
        using var dir = new TempDirectory();
        string image = dir.Write("img.bmp", Bmp(1));
        // An empty zip starts with the end record (PK 05 06), not a file header: before, detect read it as
        // safetensors ("safetensors header length 101010256 is above the limit") while import got it right.
        byte[] emptyZip = [0x50, 0x4B, 0x05, 0x06, .. new byte[18]];
        string zip = dir.Write("empty.pth", emptyZip);
        CliAssert.OneErrorLine(CliRunner.Run("detect", "--weights", zip, image), zip, "not a PyTorch checkpoint (zip archive without data.pkl)", exitCode: 2);
        string text = dir.Write("notes.safetensors", "these are not weights at all"u8.ToArray());
        CliAssert.OneErrorLine(CliRunner.Run("detect", "--weights", text, image), text, "not a safetensors file (", exitCode: 2);
    }

    [Fact]
    public void Export_writes_to_output_and_keeps_onnx_as_a_hidden_alias()
    {
        using var dir = new TempDirectory();
        string weights = RandomWeights(dir);
        foreach (string option in new[] { "-o", "--output", "--onnx" })
        {
            string path = dir.File($"model{option}.onnx");
            var r = CliRunner.Run("export", option, path, "--weights", weights, "--preprocess", "right_diag");
            Assert.True(r.ExitCode == 0, r.StdErr);
            Assert.True(new FileInfo(path).Length > 1000);
        }
        Assert.DoesNotContain("--onnx", CliRunner.Run("export", "--help").StdOut);
        OneParseError(CliRunner.Run("export", "-o", dir.File("a.onnx"), "--onnx", dir.File("b.onnx")), "error: export: give the ONNX file once, with -o (--onnx is its old name)");
    }

    [SkippableFact]
    public void A_pth_named_ForenSynth_without_preprocess_is_told_to_pass_npr()
    {
        using var dir = new TempDirectory();
        // Any case in the name counts.
        string pth = dir.File("my-forensynth-copy.pth");
        File.Copy(Goldens.OfficialCheckpoint("ForenSynth_Tiny_LaDeDa.pth"), pth);
        var r = CliRunner.Run("detect", "--weights", pth, Goldens.ImagePath("real_photo_png512"));
        Assert.Equal(0, r.ExitCode);
        string warning = Assert.Single(r.ErrorLines);
        Assert.StartsWith($"warning: {pth} does not name its preprocessing and its name says ForenSynth: pass --preprocess npr ", warning);
    }

    [SkippableFact]
    public void A_pth_without_preprocess_warns_naming_right_diag_and_the_override()
    {
        string pth = Goldens.OfficialCheckpoint("WildRF_Tiny_LaDeDa.pth");
        var r = CliRunner.Run("detect", "--weights", pth, Goldens.ImagePath("fake_progan_png256"));
        Assert.Equal(0, r.ExitCode);
        string warning = Assert.Single(r.ErrorLines);
        Assert.StartsWith($"warning: {pth} does not name its preprocessing; assuming right_diag ", warning);
        Assert.Contains("--preprocess KIND", warning);
        // Named explicitly, there is nothing to warn about.
        Assert.Equal("", CliRunner.Run("detect", "--weights", pth, "--preprocess", "right_diag", Goldens.ImagePath("fake_progan_png256")).StdErr);
    }
}
