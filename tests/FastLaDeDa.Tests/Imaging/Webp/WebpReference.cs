using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace FastLaDeDa.Tests.Imaging.Webp;

/// <summary>
/// The references WebP decoding is checked against: libwebp's command line tools (<c>cwebp</c>,
/// <c>img2webp</c>, <c>gif2webp</c>, <c>webpmux</c> to make files, <c>dwebp</c> to decode stills) and
/// Pillow 9.4 (the system <c>/usr/bin/python3</c>, whose WebP plugin goes through libwebp's
/// animation decoder: the behaviour FastLaDeDa copies). Tests that need a missing tool are skipped
/// with the reason.
/// </summary>
internal static class WebpReference
{
    private const string SystemPython = "/usr/bin/python3";

    private static readonly Lazy<bool> PillowAvailable = new(() =>
    {
        if (!File.Exists(SystemPython)) return false;
        try
        {
            var (code, output, _) = Run(SystemPython, null, "-c",
                "import PIL, PIL.features as f; print(PIL.__version__, f.check('webp'), f.check('webp_anim'))");
            return code == 0 && output.StartsWith("9.4.", StringComparison.Ordinal) && output.Contains("True True", StringComparison.Ordinal);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    });

    /// <summary>The full path of a tool on PATH, or null.</summary>
    public static string? Find(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(directory => Path.Combine(directory, tool)).FirstOrDefault(File.Exists);

    /// <summary>Skips the calling test unless every one of <paramref name="tools"/> is installed.</summary>
    public static void RequireTools(params string[] tools)
    {
        foreach (string tool in tools)
            Skip.If(Find(tool) is null, $"{tool} (libwebp tools) is not installed; install the webp package to run this test");
    }

    /// <summary>Skips the calling test unless /usr/bin/python3 has Pillow 9.4 with WebP animation support.</summary>
    public static void RequirePillow() =>
        Skip.IfNot(PillowAvailable.Value, $"{SystemPython} with Pillow 9.4 (WebP + animation support) is not available");

    /// <summary>Runs a libwebp tool; fails the test when it fails.</summary>
    public static void Tool(string tool, params string[] arguments)
    {
        var (code, _, error) = Run(Find(tool) ?? tool, null, arguments);
        Assert.True(code == 0, $"{tool} {string.Join(' ', arguments)} failed: {error}");
    }

    /// <summary>Runs a libwebp tool; returns whether it succeeded (for inputs it may reject).</summary>
    public static bool TryTool(string tool, params string[] arguments) => Run(Find(tool) ?? tool, null, arguments).Code == 0;

    /// <summary>dwebp's RGB of a file (through <c>-ppm</c>), or null when dwebp refuses it.</summary>
    public static (int Width, int Height, byte[] Rgb)? Dwebp(string webpPath)
    {
        string ppmPath = webpPath + ".ppm";
        var (code, _, _) = Run(Find("dwebp")!, null, webpPath, "-ppm", "-o", ppmPath);
        if (code != 0) return null;
        byte[] ppm = File.ReadAllBytes(ppmPath);
        File.Delete(ppmPath);
        // "P6\n<w> <h>\n255\n" then RGB.
        string[] header = Encoding.ASCII.GetString(ppm, 0, Math.Min(ppm.Length, 32)).Split((char[])['\n', ' '], 5);
        int width = int.Parse(header[1]), height = int.Parse(header[2]);
        return (width, height, ppm[^(width * height * 3)..]);
    }

    /// <summary>dwebp's alpha channel of a file (through <c>-pam</c>).</summary>
    public static byte[] DwebpAlpha(string webpPath)
    {
        string pamPath = webpPath + ".pam";
        Tool("dwebp", webpPath, "-pam", "-o", pamPath);
        byte[] pam = File.ReadAllBytes(pamPath);
        File.Delete(pamPath);
        int dataStart = IndexOf(pam, "ENDHDR\n"u8) + 7;
        return [.. pam.AsSpan(dataStart).ToArray().Where((_, i) => i % 4 == 3)];
    }

    private static int IndexOf(byte[] data, ReadOnlySpan<byte> pattern) => data.AsSpan().IndexOf(pattern);

    /// <summary>What Pillow made of one file: its RGB size and SHA-256, or the exception it raised.</summary>
    public sealed record PillowResult(bool Opened, int Width, int Height, string Sha256, string Error);

    /// <summary>
    /// <c>Image.open(f).convert("RGB")</c> for each file, in one Python process: the size and SHA-256 of
    /// the RGB bytes, or the error.
    /// </summary>
    public static Dictionary<string, PillowResult> Pillow(IReadOnlyCollection<string> paths)
    {
        const string script = """
            import sys, hashlib
            from PIL import Image
            for path in sys.stdin.read().split('\n'):
                if not path: continue
                try:
                    with Image.open(path) as im:
                        rgb = im.convert('RGB')
                        print(path + '\tOK\t%d\t%d\t%s' % (rgb.size[0], rgb.size[1], hashlib.sha256(rgb.tobytes()).hexdigest()))
                except Exception as e:
                    print(path + '\tERR\t' + type(e).__name__ + ': ' + str(e).replace('\n', ' '))
            """;
        var (code, output, error) = Run(SystemPython, string.Join('\n', paths), "-c", script);
        Assert.True(code == 0, "Pillow reference failed: " + error);
        var results = new Dictionary<string, PillowResult>();
        foreach (string line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] fields = line.Split('\t');
            results[fields[0]] = fields[1] == "OK"
                ? new PillowResult(true, int.Parse(fields[2]), int.Parse(fields[3]), fields[4], "")
                : new PillowResult(false, 0, 0, "", fields[2]);
        }
        Assert.Equal(paths.Count, results.Count);
        return results;
    }

    /// <summary>Lower-case hex SHA-256, as Python's hexdigest.</summary>
    public static string Sha256(byte[] data) => Convert.ToHexStringLower(SHA256.HashData(data));

    private static (int Code, string Output, string Error) Run(string program, string? input, params string[] arguments)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = input is not null,
            UseShellExecute = false,
        };
        foreach (string argument in arguments) info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            process.StandardInput.Write(input);
            process.StandardInput.Close();
        }
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} did not finish");
        }
        return (process.ExitCode, output.Result, error.Result);
    }
}
