using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using FastLaDeDa.Imaging.Formats.Webp;
using FastLaDeDa.Tests.Support;

namespace FastLaDeDa.Tests.Imaging.Webp;

/// <summary>
/// Runs libwebp's command-line tools for the VP8 tests: <c>cwebp</c> makes lossy WebPs from
/// images written here, <c>dwebp -ppm</c> decodes them (libwebp's fancy-upsampled RGB, the
/// reference). Tests that need them skip with a clear reason when they are not installed.
/// </summary>
internal static class Vp8TestSupport
{
    private static readonly Lazy<string?> Cwebp = new(() => FindTool("cwebp"));
    private static readonly Lazy<string?> Dwebp = new(() => FindTool("dwebp"));

    /// <summary>Skips the calling test unless cwebp and dwebp are on PATH.</summary>
    public static void RequireTools() =>
        Skip.If(Cwebp.Value is null || Dwebp.Value is null, "libwebp's cwebp/dwebp are not on PATH (Debian: apt-get install webp); they make and decode the reference files");

    private static string? FindTool(string name)
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, name);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    /// <summary>Writes a binary PPM (P6) of <paramref name="width"/> x <paramref name="height"/> RGB pixels.</summary>
    public static string WritePpm(TempDirectory dir, string name, int width, int height, byte[] rgb) =>
        dir.Write(name, [.. Encoding.ASCII.GetBytes($"P6\n{width} {height}\n255\n"), .. rgb]);

    /// <summary>Writes a PAM with RGB_ALPHA tuples (cwebp reads it as an image with transparency).</summary>
    public static string WritePamRgba(TempDirectory dir, string name, int width, int height, byte[] rgba) =>
        dir.Write(name, [.. Encoding.ASCII.GetBytes($"P7\nWIDTH {width}\nHEIGHT {height}\nDEPTH 4\nMAXVAL 255\nTUPLTYPE RGB_ALPHA\nENDHDR\n"), .. rgba]);

    /// <summary>Runs cwebp on <paramref name="input"/> with <paramref name="options"/>; returns the WebP file's path.</summary>
    public static string Encode(TempDirectory dir, string input, string output, params string[] options)
    {
        string path = dir.File(output);
        Run(Cwebp.Value!, [.. options, "-quiet", input, "-o", path]);
        return path;
    }

    /// <summary>dwebp's RGB for a WebP file, or null when dwebp refuses it.</summary>
    public static byte[]? Reference(TempDirectory dir, string webp, out int width, out int height)
    {
        string ppm = webp + ".ppm";
        width = height = 0;
        if (!TryRun(Dwebp.Value!, ["-quiet", "-ppm", webp, "-o", ppm])) return null;
        return ReadPpm(File.ReadAllBytes(ppm), out width, out height);
    }

    /// <summary>The payload of the file's "VP8 " chunk.</summary>
    public static byte[] Vp8Chunk(byte[] webp)
    {
        Assert.Equal("RIFF", Encoding.ASCII.GetString(webp, 0, 4));
        Assert.Equal("WEBP", Encoding.ASCII.GetString(webp, 8, 4));
        for (int pos = 12; pos + 8 <= webp.Length;)
        {
            string tag = Encoding.ASCII.GetString(webp, pos, 4);
            int size = BinaryPrimitives.ReadInt32LittleEndian(webp.AsSpan(pos + 4));
            if (tag == "VP8 ") return webp.AsSpan(pos + 8, size).ToArray();
            pos += 8 + size + (size & 1);
        }
        throw new InvalidDataException("no VP8 chunk");
    }

    /// <summary>A simple-format WebP file (RIFF, WEBP, one "VP8 " chunk) around <paramref name="chunk"/>.</summary>
    public static byte[] WrapVp8(ReadOnlySpan<byte> chunk)
    {
        int padded = chunk.Length + (chunk.Length & 1);
        var file = new byte[20 + padded];
        Encoding.ASCII.GetBytes("RIFF").CopyTo(file, 0);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(4), 12 + padded);
        Encoding.ASCII.GetBytes("WEBPVP8 ").CopyTo(file, 8);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(16), chunk.Length);
        chunk.CopyTo(file.AsSpan(20));
        return file;
    }

    /// <summary>Decodes with <see cref="Vp8Decoder"/> into a tightly packed RGB buffer.</summary>
    public static byte[] DecodeOurs(byte[] chunk)
    {
        var (width, height) = Vp8Decoder.ReadSize(chunk, "test");
        var rgb = new byte[width * height * 3];
        Vp8Decoder.Decode(chunk, rgb, width * 3, "test");
        return rgb;
    }

    /// <summary>Encodes <paramref name="input"/> with cwebp and asserts our RGB equals dwebp's for it.</summary>
    public static void AssertMatchesLibwebp(TempDirectory dir, string input, string name, params string[] options)
    {
        string webp = Encode(dir, input, name, options);
        byte[]? expected = Reference(dir, webp, out int width, out int height);
        Assert.NotNull(expected);
        byte[] chunk = Vp8Chunk(File.ReadAllBytes(webp));
        Assert.Equal((width, height), Vp8Decoder.ReadSize(chunk, name));
        byte[] actual = DecodeOurs(chunk);
        int first = actual.AsSpan().CommonPrefixLength(expected);
        Assert.True(first == expected.Length && actual.Length == expected.Length,
            $"{name} ({string.Join(' ', options)}), {width}x{height}: first difference at byte {first} (pixel {first / 3 % Math.Max(width, 1)}, {first / 3 / Math.Max(width, 1)})");
    }

    /// <summary>Reads a binary PPM as written by dwebp.</summary>
    public static byte[] ReadPpm(byte[] file, out int width, out int height)
    {
        int pos = 0;
        string Token()
        {
            while (char.IsWhiteSpace((char)file[pos])) pos++;
            int start = pos;
            while (!char.IsWhiteSpace((char)file[pos])) pos++;
            return Encoding.ASCII.GetString(file, start, pos - start);
        }
        Assert.Equal("P6", Token());
        width = int.Parse(Token());
        height = int.Parse(Token());
        Assert.Equal("255", Token());
        pos++;
        return file.AsSpan(pos, width * height * 3).ToArray();
    }

    private static void Run(string tool, string[] args)
    {
        if (!TryRun(tool, args, out string error)) throw new InvalidOperationException($"{Path.GetFileName(tool)} {string.Join(' ', args)} failed: {error}");
    }

    private static bool TryRun(string tool, string[] args) => TryRun(tool, args, out _);

    private static bool TryRun(string tool, string[] args, out string error)
    {
        var psi = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in args) psi.ArgumentList.Add(arg);
        using var process = Process.Start(psi)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        error = process.StandardError.ReadToEnd();
        stdout.Wait();
        process.WaitForExit();
        return process.ExitCode == 0;
    }

    /// <summary>Deterministic pseudo-random bytes.</summary>
    public static byte[] RandomBytes(int count, int seed)
    {
        var bytes = new byte[count];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>A smooth synthetic photo-like RGB image (gradients, a disc, texture), deterministic.</summary>
    public static byte[] SyntheticRgb(int width, int height, int seed)
    {
        var random = new Random(seed);
        var rgb = new byte[width * height * 3];
        double cx = width * random.NextDouble(), cy = height * random.NextDouble(), r = Math.Max(width, height) * 0.3;
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                bool inside = (x - cx) * (x - cx) + (y - cy) * (y - cy) < r * r;
                int noise = random.Next(-12, 13);
                int i = 3 * (y * width + x);
                rgb[i] = (byte)Math.Clamp((inside ? 220 : 40) + x * 60 / Math.Max(width, 1) + noise, 0, 255);
                rgb[i + 1] = (byte)Math.Clamp(80 + y * 150 / Math.Max(height, 1) + noise, 0, 255);
                rgb[i + 2] = (byte)Math.Clamp((inside ? 30 : 200) + ((x / 4 + y / 4) % 2) * 25 + noise, 0, 255);
            }
        return rgb;
    }
}
