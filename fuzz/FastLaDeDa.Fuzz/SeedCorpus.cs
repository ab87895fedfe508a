using System.Buffers.Binary;
using System.IO.Compression;
using FastLaDeDa.Imaging.Formats;
using FastLaDeDa.Tests.Support;
using FastLaDeDa.Weights;

namespace FastLaDeDa.Fuzz;

/// <summary>
/// Writes the seed corpora: small images of every format (generated here, plus the small golden
/// JPEGs), our own safetensors files (the official checkpoints converted, and a one-of-each-dtype
/// file), and the official .pth files. Written to a scratch folder, never into the repository.
/// </summary>
public static class SeedCorpus
{
    public static void Write(string directory, string shared)
    {
        string images = Directory.CreateDirectory(Path.Combine(directory, "image")).FullName;
        string safetensors = Directory.CreateDirectory(Path.Combine(directory, "safetensors")).FullName;
        string pth = Directory.CreateDirectory(Path.Combine(directory, "pth")).FullName;
        string jpeg = Directory.CreateDirectory(Path.Combine(directory, "jpeg")).FullName;
        string bmpGif = Directory.CreateDirectory(Path.Combine(directory, "bmp-gif")).FullName;
        string webp = Directory.CreateDirectory(Path.Combine(directory, "webp")).FullName;
        string png = Directory.CreateDirectory(Path.Combine(directory, "png")).FullName;

        // Format seeds from Pillow's own test images: the small ones, every variant it collected.
        string pillow = Path.Combine(shared, "conformance", "pillow", "images");
        if (Directory.Exists(pillow))
        {
            foreach (string file in Directory.EnumerateFiles(pillow).Where(f => new FileInfo(f).Length < 16_000))
            {
                string extension = Path.GetExtension(file).ToLowerInvariant();
                string? target = extension switch { ".jpg" or ".jpeg" => jpeg, ".bmp" or ".dib" or ".gif" => bmpGif, ".png" => png, _ => null };
                if (target is not null) File.Copy(file, Path.Combine(target, Path.GetFileName(file)), overwrite: true);
            }
        }
        JpegVariants(jpeg);
        WebpVariants(webp);

        // Small files mutate fastest: AFL's own advice is seeds under a few kilobytes.
        foreach (string file in Directory.EnumerateFiles(Path.Combine(shared, "golden", "images")).Where(f => new FileInfo(f).Length < 100_000))
            File.Copy(file, Path.Combine(images, Path.GetFileName(file)), overwrite: true);
        File.WriteAllBytes(Path.Combine(images, "rgb8.png"), Png(6, 5, colorType: 2, bitDepth: 8));
        File.WriteAllBytes(Path.Combine(images, "grey16.png"), Png(6, 5, colorType: 0, bitDepth: 16));
        File.WriteAllBytes(Path.Combine(images, "rgba8.png"), Png(4, 3, colorType: 6, bitDepth: 8));
        foreach (string name in new[] { "rgb8.png", "grey16.png", "rgba8.png" })
            File.Copy(Path.Combine(images, name), Path.Combine(png, name), overwrite: true);
        File.WriteAllBytes(Path.Combine(images, "bgr24.bmp"), Bmp(5, 4));
        File.WriteAllBytes(Path.Combine(images, "rgb.tga"), Tga(5, 4));
        File.WriteAllBytes(Path.Combine(images, "rgb.ppm"), [.. "P6\n4 3\n255\n"u8, .. Enumerable.Range(0, 36).Select(i => (byte)(i * 7))]);

        foreach (string file in Directory.EnumerateFiles(Path.Combine(shared, "weights", "official"), "*.pth"))
        {
            File.Copy(file, Path.Combine(pth, Path.GetFileName(file)), overwrite: true);
            SafeTensors.Write(Path.Combine(safetensors, Path.GetFileNameWithoutExtension(file) + ".safetensors"), PthCheckpoint.Read(file));
        }
        var dtypes = new Dictionary<string, TensorData>
        {
            ["f32"] = TensorData.FromFloat32([1f, -2f], 2),
            ["f16"] = new TensorData(TensorDType.Float16, [2], [0, 0x3C, 0, 0xC0]),
            ["bf16"] = new TensorData(TensorDType.BFloat16, [1], [0x80, 0x3F]),
            ["i64"] = new TensorData(TensorDType.Int64, [], BitConverter.GetBytes(7L)),
        };
        SafeTensors.Write(Path.Combine(safetensors, "dtypes.safetensors"), new StateDict(dtypes, new Dictionary<string, string> { ["model"] = "tiny_ladeda" }));
    }

    /// <summary>
    /// Small JPEGs of every coding mode (progressive, arithmetic, restart intervals, odd sampling),
    /// encoded by Debian's cjpeg when it is installed; the corpus seeds cover the rest.
    /// </summary>
    private static void JpegVariants(string directory)
    {
        string? cjpeg = new[] { "/usr/bin/cjpeg", "/usr/local/bin/cjpeg" }.FirstOrDefault(File.Exists);
        if (cjpeg is null) return;
        string ppm = Path.Combine(directory, "source.ppm.tmp");
        File.WriteAllBytes(ppm, [.. "P6\n24 17\n255\n"u8, .. Enumerable.Range(0, 24 * 17 * 3).Select(i => (byte)(i * 37 % 251))]);
        string[][] variants =
        [
            ["-progressive"], ["-arithmetic"], ["-arithmetic", "-progressive"], ["-restart", "1B"], ["-sample", "2x1"],
            ["-sample", "1x2"], ["-sample", "4x2,2x1,1x1"], ["-grayscale", "-progressive"], ["-rgb"], ["-optimize", "-sample", "2x2"],
        ];
        foreach (string[] options in variants)
        {
            Run(cjpeg, [.. options, "-outfile", Path.Combine(directory, "cjpeg" + string.Concat(options) + ".jpg"), ppm]);
        }
        File.Delete(ppm);
    }

    /// <summary>Small lossy, lossless, alpha and animated WebPs from Debian's cwebp/img2webp, when installed.</summary>
    private static void WebpVariants(string directory)
    {
        string? cwebp = new[] { "/usr/bin/cwebp", "/usr/local/bin/cwebp" }.FirstOrDefault(File.Exists);
        if (cwebp is null) return;
        string pam = Path.Combine(directory, "source.pam.tmp");
        const int width = 21, height = 13;
        File.WriteAllBytes(pam, [.. System.Text.Encoding.ASCII.GetBytes($"P7\nWIDTH {width}\nHEIGHT {height}\nDEPTH 4\nMAXVAL 255\nTUPLTYPE RGB_ALPHA\nENDHDR\n"),
            .. Enumerable.Range(0, width * height * 4).Select(i => (byte)(i % 4 == 3 ? (i / 4 % 7 == 0 ? 0 : 255) : i * 29 % 251))]);
        string[][] variants = [["-q", "75"], ["-q", "20", "-sns", "100", "-f", "60"], ["-lossless"], ["-lossless", "-z", "9"], ["-near_lossless", "40"], ["-q", "90", "-alpha_q", "50"], ["-exact", "-lossless"]];
        foreach (string[] options in variants)
            Run(cwebp, [.. options, pam, "-o", Path.Combine(directory, "cwebp" + string.Concat(options) + ".webp")]);
        string? img2webp = new[] { "/usr/bin/img2webp", "/usr/local/bin/img2webp" }.FirstOrDefault(File.Exists);
        string first = Path.Combine(directory, "cwebp-q75.webp"), second = Path.Combine(directory, "cwebp-lossless.webp");
        if (img2webp is not null && File.Exists(first) && File.Exists(second))
            Run(img2webp, ["-o", Path.Combine(directory, "animation.webp"), first, "-lossy", second]);
        File.Delete(pam);
    }

    private static void Run(string tool, string[] arguments)
    {
        var psi = new System.Diagnostics.ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string argument in arguments) psi.ArgumentList.Add(argument);
        using var process = System.Diagnostics.Process.Start(psi)!;
        process.WaitForExit();
    }

    private static byte[] Png(int width, int height, byte colorType, byte bitDepth)
    {
        int channels = colorType switch { 2 => 3, 6 => 4, _ => 1 };
        int rowBytes = width * channels * bitDepth / 8;
        var raw = new byte[(rowBytes + 1) * height];
        for (int i = 0; i < raw.Length; i++) raw[i] = i % (rowBytes + 1) == 0 ? (byte)(i / (rowBytes + 1) % 5) : (byte)(i * 37);
        using var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true)) z.Write(raw);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = bitDepth;
        ihdr[9] = colorType;
        using var png = new MemoryStream();
        png.Write([137, 80, 78, 71, 13, 10, 26, 10]);
        Chunk(png, "IHDR", ihdr);
        Chunk(png, "IDAT", compressed.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        Span<byte> header = stackalloc byte[8];
        BinaryPrimitives.WriteInt32BigEndian(header, data.Length);
        System.Text.Encoding.ASCII.GetBytes(type, header[4..]);
        png.Write(header);
        png.Write(data);
        uint crc = FastLaDeDa.Imaging.Formats.Crc32.Compute([.. header[4..].ToArray(), .. data]);
        Span<byte> trailer = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(trailer, crc);
        png.Write(trailer);
    }

    /// <summary>A 24-bit BMP with arbitrary pixels, written by the tests' <see cref="BmpWriter"/>.</summary>
    private static byte[] Bmp(int width, int height) =>
        BmpWriter.Encode(width, height, [.. Enumerable.Range(0, width * height * 3).Select(i => (byte)(i * 13))]);

    private static byte[] Tga(int width, int height)
    {
        var file = new byte[18 + width * height * 3];
        file[2] = 2; // uncompressed true colour
        BinaryPrimitives.WriteInt16LittleEndian(file.AsSpan(12), (short)width);
        BinaryPrimitives.WriteInt16LittleEndian(file.AsSpan(14), (short)height);
        file[16] = 24;
        for (int i = 18; i < file.Length; i++) file[i] = (byte)(i * 29);
        return file;
    }
}
