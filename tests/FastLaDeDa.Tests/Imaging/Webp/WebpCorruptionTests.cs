using System.Buffers.Binary;
using System.Diagnostics;
using FastLaDeDa.Errors;
using FastLaDeDa.Imaging;
using FastLaDeDa.Imaging.Formats.Webp;
using FastLaDeDa.Tests.Support;

namespace FastLaDeDa.Tests.Imaging.Webp;

/// <summary>
/// Damaged files: truncated at every chunk boundary, with lying RIFF and chunk sizes, with flipped bits,
/// with stray bytes, and random VP8L payloads. Only <see cref="ImageDecodeException"/> (or a subclass)
/// may escape, and every file must open or fail exactly as it does in Pillow, with the same pixels.
/// </summary>
public sealed class WebpCorruptionTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    /// <inheritdoc/>
    public void Dispose() => _temp.Dispose();

    /// <summary>Our outcome: the RGB's SHA-256, or null when the decoder refused the file.</summary>
    private static string? Outcome(byte[] file, out Exception? error)
    {
        error = null;
        try
        {
            return WebpReference.Sha256(WebpDecoder.Decode(file, ImageLimits.Default, "corrupt.webp").Pixels);
        }
        catch (UnsupportedImageFormatException e) when (e.Message.Contains("not built yet", StringComparison.Ordinal))
        {
            // Everything but the lossy pixels was accepted; the VP8 decoder is not in this build.
            error = e;
            return "lossy";
        }
        catch (Exception e)
        {
            Assert.True(e is ImageDecodeException, $"{e.GetType().Name} escaped: {e}");
            error = e;
            return null;
        }
    }

    /// <summary>The damaged variants of one file (none touches a VP8 payload: those belong to the VP8 decoder).</summary>
    private static IEnumerable<(string Name, byte[] File)> Variants(byte[] file, int seed)
    {
        var chunks = WebpTestFile.Chunks(file);
        var vp8Payloads = chunks.Where(c => c.FourCC == "VP8 ").Select(c => (Start: c.Offset + 8, End: c.Offset + 8 + c.Size)).ToList();
        var cuts = new SortedSet<int> { 1, 11, 12, 15, 16, 19, 20, file.Length - 1 };
        foreach (var (offset, _, size) in chunks)
            foreach (int cut in new[] { offset, offset + 4, offset + 8, offset + 9, offset + 8 + size - 1, offset + 8 + size, offset + 8 + size + 1 })
                if (cut > 0 && cut < file.Length) cuts.Add(cut);
        foreach (int cut in cuts)
        {
            yield return ($"cut{cut}", file[..cut]);
            // Cut with the RIFF size made to agree: the container looks whole, a chunk is short.
            if (cut > 12) yield return ($"cut{cut}-riff-fixed", SetUInt32([.. file[..cut]], 4, (uint)cut - 8));
        }
        uint riff = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(4));
        foreach (long delta in new long[] { 1, -1, 2, -2, -8, 100 })
            yield return ($"riff{delta:+0;-0}", SetUInt32([.. file], 4, (uint)(riff + delta)));
        yield return ("riff-huge", SetUInt32([.. file], 4, 0xFFFFFFF0));
        foreach (var (offset, fourCC, size) in chunks)
            foreach (long delta in new long[] { 1, -1, 2, -2, 8, -8, 0x7FFFFFF0 })
                if (size + delta >= 0) yield return ($"{fourCC.Trim()}@{offset}-size{delta:+0;-0}", SetUInt32([.. file], offset + 4, (uint)(size + delta)));
        var random = new Random(seed);
        for (int flips = 0; flips < 60;)
        {
            int position = random.Next(12, file.Length);
            if (vp8Payloads.Any(p => position >= p.Start && position < p.End)) continue;
            byte[] flipped = [.. file];
            flipped[position] ^= (byte)(1 << random.Next(8));
            yield return ($"flip{position}-{flips++}", flipped);
        }
        foreach (int extra in new[] { 1, 7, 8, 9 })
        {
            yield return ($"tail{extra}", [.. file, .. new byte[extra]]);
            yield return ($"tail{extra}-in-riff", SetUInt32([.. file, .. Enumerable.Repeat((byte)0x41, extra)], 4, (uint)(riff + extra)));
        }
    }

    private static byte[] SetUInt32(byte[] file, int offset, uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(offset), value);
        return file;
    }

    /// <summary>A lossless still, the same with metadata, a lossy still with alpha, and an animation.</summary>
    private List<(string Name, byte[] File)> Sources()
    {
        WebpReference.RequireTools("cwebp", "webpmux");
        string png = _temp.Write("source.png", WebpLosslessReferenceTests.SourcePng("smooth-alpha", 37, 23));
        string palettePng = _temp.Write("palette.png", WebpLosslessReferenceTests.SourcePng("colors5", 19, 11));
        string lossless = _temp.File("lossless.webp"), palette = _temp.File("palette.webp"), lossy = _temp.File("lossy.webp");
        string withMetadata = _temp.File("metadata.webp"), animation = _temp.File("animation.webp");
        string icc = _temp.Write("profile.icc", [.. Enumerable.Range(0, 101).Select(i => (byte)i)]);
        WebpReference.Tool("cwebp", "-quiet", "-lossless", "-exact", png, "-o", lossless);
        WebpReference.Tool("cwebp", "-quiet", "-lossless", palettePng, "-o", palette);
        WebpReference.Tool("cwebp", "-quiet", "-q", "70", "-alpha_method", "1", "-alpha_filter", "best", png, "-o", lossy);
        WebpReference.Tool("webpmux", "-set", "icc", icc, palette, "-o", withMetadata);
        WebpReference.Tool("webpmux", "-frame", palette, "+100+4+6", "-frame", lossless, "+100", "-frame", lossy, "+50+0+0", "-o", animation);
        return [.. new[] { lossless, withMetadata, lossy, animation }.Select(path => (Path.GetFileNameWithoutExtension(path), File.ReadAllBytes(path)))];
    }

    [SkippableFact]
    public void Damaged_files_fail_only_with_image_decode_exceptions()
    {
        int refused = 0, total = 0;
        foreach (var (name, source) in Sources())
            foreach (var (variant, file) in Variants(source, name.Length))
            {
                total++;
                if (Outcome(file, out _) is null) refused++;
            }
        // Most damage must be caught; some (a flipped bit in pixel data, metadata) is harmless.
        Assert.True(refused > total / 2, $"only {refused} of {total} damaged files were refused");
    }

    [SkippableFact]
    public void Damaged_files_open_or_fail_as_in_pillow()
    {
        WebpReference.RequirePillow();
        var cases = new List<(string Path, byte[] File)>();
        foreach (var (name, source) in Sources())
            foreach (var (variant, file) in Variants(source, name.Length))
                cases.Add((_temp.Write($"{name}-{variant}.webp", file), file));
        var pillow = WebpReference.Pillow([.. cases.Select(c => c.Path)]);
        var disagreements = new List<string>();
        foreach (var (path, file) in cases)
        {
            string? ours = Outcome(file, out Exception? error);
            var reference = pillow[path];
            if (error is ImageLimitExceededException) continue; // our limits are deliberately stricter
            bool agree = ours == "lossy" ? reference.Opened : ours is null ? !reference.Opened : reference.Opened && reference.Sha256 == ours;
            if (!agree) disagreements.Add($"{Path.GetFileName(path)}: ours {ours ?? error!.Message}, Pillow {(reference.Opened ? reference.Sha256 : reference.Error)}");
        }
        Assert.True(disagreements.Count == 0, string.Join('\n', disagreements.Take(20)));
        Assert.True(cases.Count > 400);
    }

    [Fact]
    public void Random_lossless_payloads_fail_cleanly_and_quickly()
    {
        var random = new Random(9);
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < 3000; i++)
        {
            int width = 1 + random.Next(300), height = 1 + random.Next(300);
            var writer = new Vp8LBitWriter().Header(width, height);
            byte[] noise = new byte[random.Next(0, 400)];
            random.NextBytes(noise);
            byte[] file = WebpTestFile.Lossless([.. writer.ToArray(), .. noise]);
            Outcome(file, out _);
        }
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"3000 random streams took {watch.Elapsed}");
    }

    /// <summary>
    /// A 68×68 image coded with an entropy image of 17×17 tiles (as many entries as the code length
    /// scratch, so both come from the same pool bucket) and 4 groups; broken: group 3's distance code is empty.
    /// </summary>
    private static byte[] MetaCodedImage(bool broken, int shift = 0)
    {
        var writer = new Vp8LBitWriter().Header(68, 68).Bits(0, 1).Bits(0, 1).Bits(1, 1).Bits(0, 3); // 4×4 tiles
        Vp8LTestEncoder.WriteSubImage(writer, [.. Enumerable.Range(0, 17 * 17).Select(i => (uint)((i + shift) % 4) << 8)]);
        for (int group = 0; group < 4; group++)
        {
            writer.SimpleCode(280, 10 + group);
            writer.SimpleCode(256, 20);
            writer.SimpleCode(256, 30 * group);
            writer.SimpleCode(256, 255);
            writer.SimpleCode(40, broken && group == 3 ? 200 : 0);
        }
        return WebpTestFile.Lossless(writer.ToArray());
    }

    [Fact]
    public void Failing_decodes_do_not_disturb_concurrent_ones()
    {
        // Pooled buffers must go back to the pool exactly once, whatever the error path: run decodes
        // that fail at every stage next to ones that succeed, and check the latter's pixels.
        byte[][] valid = [.. Enumerable.Range(0, 4).Select(shift => MetaCodedImage(broken: false, shift))];
        string[] expected = [.. valid.Select(file => WebpReference.Sha256(WebpDecoder.Decode(file, ImageLimits.Default, null).Pixels))];
        Assert.Equal(4, expected.Distinct().Count());
        byte[][] failing = [MetaCodedImage(broken: true), .. Enumerable.Range(0, 40).Select(cut => valid[0][..(valid[0].Length - 1 - cut)])];
        // Sequentially: a failure, then each valid file.
        foreach (byte[] file in failing.Take(1).Concat(failing.Take(1)))
        {
            Assert.ThrowsAny<ImageDecodeException>(() => WebpDecoder.Decode(file, ImageLimits.Default, null));
            for (int i = 0; i < valid.Length; i++)
                Assert.Equal(expected[i], WebpReference.Sha256(WebpDecoder.Decode(valid[i], ImageLimits.Default, null).Pixels));
        }
        // Concurrently.
        int mismatches = 0;
        Parallel.For(0, 8000, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            if (i % 2 == 0)
            {
                int which = i / 2 % 4;
                if (WebpReference.Sha256(WebpDecoder.Decode(valid[which], ImageLimits.Default, null).Pixels) != expected[which]) Interlocked.Increment(ref mismatches);
            }
            else
            {
                Assert.ThrowsAny<ImageDecodeException>(() => WebpDecoder.Decode(failing[i / 2 % failing.Length], ImageLimits.Default, null));
            }
        });
        Assert.Equal(0, mismatches);
    }
}
