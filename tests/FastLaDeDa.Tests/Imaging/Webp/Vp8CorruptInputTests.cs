using System.Runtime.Intrinsics.X86;
using FastLaDeDa.Errors;
using FastLaDeDa.Imaging.Formats.Webp;
using FastLaDeDa.Tests.Support;

namespace FastLaDeDa.Tests.Imaging.Webp;

/// <summary>
/// Damaged and unusual VP8 data: only <see cref="ImageDecodeException"/> (or its
/// <see cref="UnsupportedImageFormatException"/>) may come out, and where libwebp still decodes
/// (dwebp on the same bytes), the RGB must be the same; where it fails, we fail.
/// </summary>
public sealed class Vp8CorruptInputTests
{
    /// <summary>A 16x16 key frame header whose first partition claims <paramref name="firstPartition"/> bytes.</summary>
    private static byte[] Header(int tag = 0x10, int firstPartition = 4, int width = 16, int height = 16, int extra = 8)
    {
        int bits = tag | (firstPartition << 5);
        return [(byte)bits, (byte)(bits >> 8), (byte)(bits >> 16), 0x9d, 0x01, 0x2a,
            (byte)width, (byte)(width >> 8), (byte)height, (byte)(height >> 8), .. new byte[extra]];
    }

    public static TheoryData<string, byte[], bool> BadHeaders => new()
    {
        { "empty", [], false },
        { "9 bytes", Header()[..9], false },
        { "bad start code", [.. Header()[..3], 0x9d, 0x01, 0x2b, .. Header()[6..]], false },
        { "inter frame", Header(tag: 0x11), true },
        { "profile 4", Header(tag: 0x10 | (4 << 1)), false },
        { "invisible frame", Header(tag: 0x00), true },
        { "zero width", Header(width: 0), false },
        { "zero height", Header(height: 0x4000), false },
        { "first partition as long as the chunk", Header(firstPartition: 18), false },
    };

    [Theory]
    [MemberData(nameof(BadHeaders))]
    public void Bad_frame_headers_are_refused_with_typed_errors(string name, byte[] chunk, bool unsupported)
    {
        var error = Assert.ThrowsAny<ImageDecodeException>(() => Vp8Decoder.ReadSize(chunk, name));
        Assert.Equal(unsupported, error is UnsupportedImageFormatException);
        Assert.Equal(error.GetType(), Assert.ThrowsAny<ImageDecodeException>(() => Vp8Decoder.Decode(chunk, new byte[16 * 48], 48, name)).GetType());
    }

    [Fact]
    public void Empty_or_exhausted_first_partition_is_an_error()
    {
        // Zero-length first partition, and one of zero bytes that runs dry in the headers.
        Assert.Throws<ImageDecodeException>(() => Vp8Decoder.Decode(Header(firstPartition: 0), new byte[16 * 48], 48, null));
        Assert.Throws<ImageDecodeException>(() => Vp8Decoder.Decode(Header(firstPartition: 4, extra: 8), new byte[16 * 48], 48, null));
        // Shorter than the chunk (libwebp reports the size) but ending past its data: decoding fails.
        Assert.Equal((16, 16), Vp8Decoder.ReadSize(Header(firstPartition: 9), null));
        Assert.Throws<ImageDecodeException>(() => Vp8Decoder.Decode(Header(firstPartition: 9), new byte[16 * 48], 48, null));
    }

    /// <summary>Decodes <paramref name="chunk"/> with both decoders and asserts they agree: same RGB, or both fail.</summary>
    private static bool AssertSameOutcomeAsLibwebp(TempDirectory dir, byte[] chunk, string name, bool requireSameRgb = true)
    {
        string path = dir.Write(name + ".webp", Vp8TestSupport.WrapVp8(chunk));
        byte[]? expected = Vp8TestSupport.Reference(dir, path, out _, out _);
        byte[]? actual;
        try
        {
            actual = Vp8TestSupport.DecodeOurs(chunk);
        }
        catch (ImageDecodeException)
        {
            actual = null;
        }
        Assert.True((expected is null) == (actual is null), $"{name}: libwebp {(expected is null ? "fails" : "decodes")}, we {(actual is null ? "fail" : "decode")}");
        if (expected is not null && requireSameRgb) Assert.True(expected.AsSpan().SequenceEqual(actual), $"{name}: RGB differs from libwebp");
        return actual is not null;
    }

    [SkippableFact]
    public void Truncated_frames_fail_like_libwebp()
    {
        Vp8TestSupport.RequireTools();
        using var dir = new TempDirectory();
        string input = Vp8TestSupport.WritePpm(dir, "in.ppm", 50, 40, Vp8TestSupport.SyntheticRgb(50, 40, seed: 11));
        byte[] chunk = Vp8TestSupport.Vp8Chunk(File.ReadAllBytes(Vp8TestSupport.Encode(dir, input, "full.webp", "-q", "85")));
        var random = new Random(12);
        // The last bytes matter most: an odd length gets the RIFF pad byte (0) after it, which
        // libwebp reads as part of the last partition, so one more byte than the chunk holds.
        int[] lengths = [0, 1, 5, 10, 11, 12, 20, chunk.Length / 2, .. Enumerable.Range(chunk.Length - 10, 10),
            .. Enumerable.Range(0, 15).Select(_ => random.Next(chunk.Length))];
        foreach (int length in lengths)
        {
            byte[] cut = chunk[..length];
            if (length < Vp8FrameHeader.Size)
                Assert.ThrowsAny<ImageDecodeException>(() => Vp8TestSupport.DecodeOurs(cut));
            else
                AssertSameOutcomeAsLibwebp(dir, cut, $"cut{length}");
        }
    }

    [SkippableTheory]
    [InlineData(1, 1, "-q 75")]
    [InlineData(3, 3, "-q 90 -f 40")]
    [InlineData(30, 10, "-q 60 -nostrong")]
    public void Every_truncation_of_a_small_frame_fails_like_libwebp(int width, int height, string settings)
    {
        // Cuts ending a byte short of what the last partition needs decode in libwebp when the
        // length is odd (it reads the zero pad byte after the chunk) and fail when it is even.
        Vp8TestSupport.RequireTools();
        using var dir = new TempDirectory();
        string input = Vp8TestSupport.WritePpm(dir, "in.ppm", width, height, Vp8TestSupport.RandomBytes(width * height * 3, seed: width));
        byte[] chunk = Vp8TestSupport.Vp8Chunk(File.ReadAllBytes(Vp8TestSupport.Encode(dir, input, "full.webp", settings.Split(' '))));
        // Every length near the end (where the last partition runs out), every fifth before.
        for (int length = Vp8FrameHeader.Size; length < chunk.Length; length += length < chunk.Length - 40 ? 5 : 1)
            AssertSameOutcomeAsLibwebp(dir, chunk[..length], $"cut{length}");
    }

    [SkippableFact]
    public void Flipped_bits_give_typed_errors_or_libwebps_pixels()
    {
        Vp8TestSupport.RequireTools();
        using var dir = new TempDirectory();
        string input = Vp8TestSupport.WritePpm(dir, "in.ppm", 64, 48, Vp8TestSupport.RandomBytes(64 * 48 * 3, seed: 13));
        byte[] chunk = Vp8TestSupport.Vp8Chunk(File.ReadAllBytes(Vp8TestSupport.Encode(dir, input, "full.webp", "-q", "95")));
        var random = new Random(14);
        for (int i = 0; i < 40; i++)
        {
            byte[] damaged = (byte[])chunk.Clone();
            for (int k = random.Next(1, 4); k > 0; k--) damaged[random.Next(Vp8FrameHeader.Size, damaged.Length)] ^= (byte)(1 << random.Next(8));
            // Pixel equality holds where libwebp runs its x86 (SSE2) transform, which ours reproduces.
            AssertSameOutcomeAsLibwebp(dir, damaged, $"flip{i}", requireSameRgb: Sse2.IsSupported);
        }
    }

    [Fact]
    public void Random_garbage_after_a_valid_header_never_escapes_as_another_exception()
    {
        var random = new Random(15);
        for (int i = 0; i < 300; i++)
        {
            int width = random.Next(1, 80), height = random.Next(1, 80);
            byte[] body = Vp8TestSupport.RandomBytes(random.Next(0, 400), seed: i);
            byte[] chunk = [.. Header(firstPartition: Math.Min(body.Length, random.Next(0, 200)), width: width, height: height, extra: 0), .. body];
            try
            {
                Vp8TestSupport.DecodeOurs(chunk);
            }
            catch (ImageDecodeException)
            {
            }
        }
    }

    private static readonly Dictionary<string, Vp8TestFrameBuilder> Crafted = new()
    {
        ["segment map, relative values, normal filter, deltas"] = new Vp8TestFrameBuilder
            {
                Segments = true, UpdateSegmentMap = true, AbsoluteSegmentValues = false,
                SegmentQuantizers = [5, -10, 20, -3], SegmentFilterLevels = [10, -20, 30, -63], SegmentTreeProbabilities = [100, 30, 220],
                FilterLevel = 33, Sharpness = 3, ReferenceDeltas = [7, 0, -2, 1], ModeDeltas = [-5, 0, 0, 3],
            },
        ["absolute segment values, simple filter"] = new Vp8TestFrameBuilder
            {
                Width = 50, Height = 33, Segments = true, UpdateSegmentMap = true, AbsoluteSegmentValues = true,
                SegmentFilterLevels = [0, 40, 63, 12], SimpleFilter = true, FilterLevel = 20, Sharpness = 6,
            },
        ["segments without update data or map"] = new Vp8TestFrameBuilder
            {
                Segments = true, SegmentUpdateData = false, FilterLevel = 63, Sharpness = 0, ReferenceDeltas = [-20, 0, 0, 0],
            },
        ["8 partitions"] = new Vp8TestFrameBuilder { Width = 17, Height = 130, PartitionsLog2 = 3, FilterLevel = 9 },
        ["partition sizes beyond the data"] = new Vp8TestFrameBuilder
            {
                Height = 70, PartitionsLog2 = 2, FilterLevel = 45, DeclaredPartitionSizes = [1, 0xffffff, 0xffffff],
            },
        ["first partition swallows the rest"] = new Vp8TestFrameBuilder { PartitionsLog2 = 1, DeclaredPartitionSizes = [0xffffff] },
        ["token partition truncated"] = new Vp8TestFrameBuilder { PartitionBytes = 0, TruncateTo = -9 },
    };

    /// <summary>The crafted frames libwebp refuses (the others it decodes).</summary>
    private static readonly HashSet<string> Broken = ["partition sizes beyond the data", "first partition swallows the rest", "token partition truncated"];

    public static TheoryData<string> CraftedFrames => [.. Crafted.Keys];

    [SkippableTheory]
    [MemberData(nameof(CraftedFrames))]
    public void Crafted_frames_decode_like_libwebp(string name)
    {
        Vp8TestSupport.RequireTools();
        using var dir = new TempDirectory();
        bool decodes = AssertSameOutcomeAsLibwebp(dir, Crafted[name].Build(), "crafted");
        Assert.Equal(!Broken.Contains(name), decodes);
    }

    [Fact]
    public void Crafted_frames_with_partition_problems_are_errors()
    {
        // The size table of 7 partitions needs 21 bytes after the first partition: give it 20.
        byte[] full = new Vp8TestFrameBuilder { PartitionsLog2 = 3, PartitionBytes = 0 }.Build();
        int firstPartition = (full[0] | (full[1] << 8) | (full[2] << 16)) >> 5;
        Assert.Throws<ImageDecodeException>(() => Vp8TestSupport.DecodeOurs(full[..(Vp8FrameHeader.Size + firstPartition + 20)]));
        // libwebp clamps a size that runs past the data, which leaves the last partition empty: an error.
        Assert.Throws<ImageDecodeException>(() => Vp8TestSupport.DecodeOurs(new Vp8TestFrameBuilder { PartitionsLog2 = 1, DeclaredPartitionSizes = [0xffffff] }.Build()));
        // The same frame with its real sizes decodes.
        Assert.Equal(64 * 48 * 3, Vp8TestSupport.DecodeOurs(new Vp8TestFrameBuilder { PartitionsLog2 = 1 }.Build()).Length);
    }
}
