using System.Buffers.Binary;
using FastLaDeDa.Errors;
using FastLaDeDa.Imaging.Resize;
using FastLaDeDa.Imaging;
using FastLaDeDa.Imaging.Formats.Webp;
using FastLaDeDa.Tests.Support;

namespace FastLaDeDa.Tests.Imaging.Webp;

/// <summary>
/// Hand-built containers: simple and extended stills with metadata and unknown chunks, animations with
/// frame 0 smaller than the canvas, and the layouts libwebp's demuxer refuses. Each case states what
/// the file must decode to (or that it must fail); Pillow must agree with every statement.
/// </summary>
public sealed class WebpContainerTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    /// <inheritdoc/>
    public void Dispose() => _temp.Dispose();

    private static readonly uint[] PixelsA = [0xFF112233, 0x80445566, 0x00778899, 0xFFAABBCC, 0x01DDEEFF, 0xFF010203];
    private static readonly byte[] StreamA = Vp8LTestEncoder.LiteralImage(3, 2, PixelsA);
    private static readonly byte[] BigStream = Vp8LTestEncoder.LiteralImage(9, 7, [.. Enumerable.Range(0, 63).Select(i => 0xFF000000 | (uint)i * 0x030507)]);

    private static byte[] Vp8L(byte[] stream) => WebpTestFile.Chunk("VP8L", stream);

    private static byte[] Frame(int x, int y, byte[] stream, int declaredWidth = 3, int declaredHeight = 2) =>
        WebpTestFile.Anmf(x, y, declaredWidth, declaredHeight, Vp8L(stream));

    /// <summary>Frame A (3×2) at (x, y) on a zero canvas.</summary>
    private static (int, int, byte[]) CanvasWithA(int canvasWidth, int canvasHeight, int x, int y)
    {
        var rgb = new byte[canvasWidth * canvasHeight * 3];
        byte[] a = Vp8LTestEncoder.Rgb(PixelsA);
        for (int row = 0; row < 2; row++) a.AsSpan(row * 9, 9).CopyTo(rgb.AsSpan(((y + row) * canvasWidth + x) * 3));
        return (canvasWidth, canvasHeight, rgb);
    }

    private static byte[] WithRiffSize(byte[] file, long delta)
    {
        byte[] copy = [.. file];
        BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(4), (uint)(BinaryPrimitives.ReadUInt32LittleEndian(copy.AsSpan(4)) + delta));
        return copy;
    }

    private static byte[] Vp8XPayloadBytes(byte flags0, byte flags1, byte flags2, byte flags3)
    {
        byte[] chunk = WebpTestFile.Vp8X(0, 3, 2);
        chunk[8] = flags0;
        chunk[9] = flags1;
        chunk[10] = flags2;
        chunk[11] = flags3;
        return chunk;
    }

    /// <summary>Name, file, and the expected RGB canvas (null: the file must be refused).</summary>
    private static IEnumerable<(string Name, byte[] File, (int Width, int Height, byte[] Rgb)? Expected)> Cases()
    {
        var a = (3, 2, Vp8LTestEncoder.Rgb(PixelsA));
        byte[] simple = WebpTestFile.Lossless(StreamA);
        byte[] oddStream = StreamA.Length % 2 == 1 ? StreamA : [.. StreamA, 0];
        byte[] unpadded = WebpTestFile.Riff(Vp8L(oddStream))[..^1];

        yield return ("simple", simple, a);
        yield return ("vp8x", WebpTestFile.Riff(WebpTestFile.Vp8X(0, 3, 2), Vp8L(StreamA)), a);
        yield return ("vp8x-metadata-and-unknown-chunks", WebpTestFile.Riff(
            WebpTestFile.Vp8X(WebpTestFile.IccFlag | WebpTestFile.ExifFlag | WebpTestFile.XmpFlag, 3, 2),
            WebpTestFile.Chunk("ICCP", [1, 2, 3, 4, 5]), WebpTestFile.Chunk("ABCD", [9]), Vp8L(StreamA),
            WebpTestFile.Chunk("EXIF", [.. "Exif\0\0II*\0"u8]), WebpTestFile.Chunk("XMP ", [.. "<x/>"u8])), a);
        yield return ("vp8x-alpha-flag-on-lossless", WebpTestFile.Riff(WebpTestFile.Vp8X(WebpTestFile.AlphaFlag, 3, 2), Vp8L(StreamA)), a);
        yield return ("vp8x-unused-flag-bytes", WebpTestFile.Riff(Vp8XPayloadBytes(0, 0xFF, 0xFF, 0xFF), Vp8L(StreamA)), a);
        yield return ("vp8x-reserved-flag-0x01", WebpTestFile.Riff(Vp8XPayloadBytes(0x01, 0, 0, 0), Vp8L(StreamA)), null);
        yield return ("vp8x-reserved-flag-0x80", WebpTestFile.Riff(Vp8XPayloadBytes(0x80, 0, 0, 0), Vp8L(StreamA)), null);
        yield return ("vp8x-canvas-differs", WebpTestFile.Riff(WebpTestFile.Vp8X(0, 4, 2), Vp8L(StreamA)), null);
        yield return ("two-vp8x", WebpTestFile.Riff(WebpTestFile.Vp8X(0, 3, 2), WebpTestFile.Vp8X(0, 3, 2), Vp8L(StreamA)), null);
        yield return ("vp8x-two-images", WebpTestFile.Riff(WebpTestFile.Vp8X(0, 3, 2), Vp8L(StreamA), Vp8L(StreamA)), null);
        yield return ("simple-second-image-ignored", WebpTestFile.Riff(Vp8L(StreamA), Vp8L(BigStream)), a);
        yield return ("simple-trailing-chunk", WebpTestFile.Riff(Vp8L(StreamA), WebpTestFile.Chunk("ABCD", [1, 2, 3, 4])), a);
        yield return ("bytes-after-riff-ignored", [.. simple, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], a);
        yield return ("riff-longer-than-file", WithRiffSize(simple, 2), null);
        yield return ("stray-bytes-inside-riff", WithRiffSize([.. simple, 1, 2, 3], 3), null);
        yield return ("odd-chunk-missing-its-padding", unpadded, null);
        yield return ("chunk-beyond-riff", WithRiffSize(simple, -2), null);
        yield return ("alph-before-lossless", WebpTestFile.Riff(WebpTestFile.Vp8X(WebpTestFile.AlphaFlag, 3, 2),
            WebpTestFile.Chunk("ALPH", [0, 1, 2, 3, 4, 5, 6]), Vp8L(StreamA)), null);

        byte[] anim = WebpTestFile.Vp8X(WebpTestFile.AnimationFlag, 9, 7);
        yield return ("animation-frame-0-at-an-offset", WebpTestFile.Riff(anim, WebpTestFile.Anim(), Frame(4, 2, StreamA), Frame(0, 0, BigStream, 9, 7)),
            CanvasWithA(9, 7, 4, 2));
        yield return ("animation-anmf-size-is-the-bitstream-s", WebpTestFile.Riff(anim, WebpTestFile.Anim(0, 3), Frame(6, 4, StreamA, 5, 5)),
            CanvasWithA(9, 7, 6, 4));
        yield return ("animation-empty-anmf-skipped", WebpTestFile.Riff(anim, WebpTestFile.Anim(), WebpTestFile.Anmf(0, 0, 9, 7), Frame(2, 0, StreamA)),
            CanvasWithA(9, 7, 2, 0));
        yield return ("animation-later-frame-pixels-not-decoded", WebpTestFile.Riff(anim, WebpTestFile.Anim(), Frame(0, 4, StreamA),
            Frame(0, 0, [.. BigStream[..10], .. new byte[20]], 9, 7)), CanvasWithA(9, 7, 0, 4));
        yield return ("animation-frame-outside-canvas", WebpTestFile.Riff(anim, WebpTestFile.Anim(), Frame(8, 6, StreamA)), null);
        yield return ("animation-later-frame-outside-canvas", WebpTestFile.Riff(anim, WebpTestFile.Anim(), Frame(0, 0, StreamA), Frame(8, 0, StreamA)), null);
        yield return ("animation-later-frame-bad-header", WebpTestFile.Riff(anim, WebpTestFile.Anim(), Frame(0, 0, StreamA),
            Frame(0, 0, [0x2E, .. StreamA[1..]])), null);
        yield return ("animation-without-frames", WebpTestFile.Riff(anim, WebpTestFile.Anim()), null);
        yield return ("animation-anmf-before-anim", WebpTestFile.Riff(anim, Frame(0, 0, StreamA), WebpTestFile.Anim()), null);
        yield return ("animation-image-outside-anmf", WebpTestFile.Riff(anim, WebpTestFile.Anim(), Vp8L(StreamA)), null);
        yield return ("anmf-without-the-animation-flag", WebpTestFile.Riff(WebpTestFile.Vp8X(0, 9, 7), WebpTestFile.Anim(), Frame(0, 0, StreamA)), null);
    }

    [Fact]
    public void Each_container_decodes_or_fails_as_stated()
    {
        foreach (var (name, file, expected) in Cases())
        {
            if (expected is var (width, height, rgb))
            {
                Rgb24Image image = WebpDecoder.Decode(file, ImageLimits.Default, name);
                Assert.True((width, height) == (image.Width, image.Height), $"{name}: {image.Width}x{image.Height}");
                Assert.True(rgb.AsSpan().SequenceEqual(image.Pixels), $"{name}: pixels differ");
            }
            else
            {
                var e = Assert.Throws<ImageDecodeException>(() => WebpDecoder.Decode(file, ImageLimits.Default, name));
                Assert.StartsWith(name + ": corrupt", e.Message);
            }
        }
    }

    /// <summary>
    /// The scoring path (<c>ImageDecoder.DecodeResized</c>) assembles the canvas in a pooled buffer:
    /// with the pool full of 0xAB garbage it must still give decode-then-resize's bytes exactly (the
    /// zero canvas around a smaller frame 0 included) and refuse what the full decode refuses.
    /// </summary>
    [Fact]
    public void The_pooled_canvas_of_the_resize_path_never_shows_stale_bytes()
    {
        foreach (var (name, file, expected) in Cases())
        {
            foreach (var (outWidth, outHeight) in new[] { (2, 2), (5, 3) })
            {
                PoisonPool(64 * 1024);
                var output = new byte[outWidth * outHeight * 3];
                if (expected is var (width, height, rgb))
                {
                    ImageDecoder.DecodeResized(file, name, ImageLimits.Default, outWidth, outHeight, output);
                    byte[] reference = PillowResize.Bilinear(new Rgb24Image(width, height, rgb), outWidth, outHeight).Pixels;
                    Assert.True(reference.AsSpan().SequenceEqual(output), $"{name} -> {outWidth}x{outHeight}: differs from decode + resize");
                }
                else
                {
                    Assert.Throws<ImageDecodeException>(() => ImageDecoder.DecodeResized(file, name, ImageLimits.Default, outWidth, outHeight, output));
                }
            }
        }
    }

    /// <summary>Fills and returns pooled arrays of every size up to <paramref name="maxBytes"/>, so the next rents get garbage.</summary>
    private static void PoisonPool(int maxBytes)
    {
        for (int size = 16; size <= maxBytes; size *= 2)
        {
            byte[] array = System.Buffers.ArrayPool<byte>.Shared.Rent(size);
            array.AsSpan().Fill(0xAB);
            System.Buffers.ArrayPool<byte>.Shared.Return(array);
        }
    }

    [SkippableFact]
    public void Pillow_agrees_with_every_case()
    {
        WebpReference.RequirePillow();
        var cases = Cases().ToList();
        var paths = cases.Select(c => _temp.Write(c.Name + ".webp", c.File)).ToList();
        var pillow = WebpReference.Pillow(paths);
        for (int i = 0; i < cases.Count; i++)
        {
            var (name, _, expected) = cases[i];
            var result = pillow[paths[i]];
            Assert.True(result.Opened == expected.HasValue, $"{name}: Pillow {(result.Opened ? "opened it" : "failed: " + result.Error)}");
            if (expected is var (width, height, rgb))
                Assert.True((width, height, WebpReference.Sha256(rgb)) == (result.Width, result.Height, result.Sha256), $"{name}: Pillow's pixels differ");
        }
    }

    [Fact]
    public void Not_a_webp_file_is_refused()
    {
        byte[] simple = WebpTestFile.Lossless(StreamA);
        byte[] alphFirst = WebpTestFile.Riff(WebpTestFile.Chunk("ALPH", [0, 1]), Vp8L(StreamA));
        foreach (byte[] file in new[] { simple[..15], [.. "RIFX"u8, .. simple[4..]], [.. simple[..8], .. "WEBQ"u8, .. simple[12..]], alphFirst })
            Assert.Throws<ImageDecodeException>(() => WebpDecoder.Decode(file, ImageLimits.Default, "x.webp"));
    }

    [Fact]
    public void Limits_are_checked_on_the_canvas_and_on_frame_0_before_decoding()
    {
        byte[] wide = WebpTestFile.Riff(WebpTestFile.Vp8X(WebpTestFile.AnimationFlag, 20000, 2), WebpTestFile.Anim(), Frame(0, 0, StreamA));
        var e = Assert.Throws<ImageLimitExceededException>(() => WebpDecoder.Decode(wide, ImageLimits.Default, "wide.webp"));
        Assert.Contains("20000x2", e.Message);

        byte[] animation = WebpTestFile.Riff(WebpTestFile.Vp8X(WebpTestFile.AnimationFlag, 9, 7), WebpTestFile.Anim(), Frame(0, 0, StreamA));
        Assert.Throws<ImageLimitExceededException>(() => WebpDecoder.Decode(animation, ImageLimits.Default with { MaxPixels = 62 }, "a.webp"));
        Assert.Throws<ImageLimitExceededException>(() => WebpDecoder.Decode(WebpTestFile.Lossless(StreamA), ImageLimits.Default with { MaxDimension = 2 }, "a.webp"));
        Assert.Equal(9, WebpDecoder.Decode(animation, ImageLimits.Default with { MaxPixels = 63 }, "a.webp").Width);

        // A 16384×16384 lossless header over 12 bytes of data: refused by the limit, nothing allocated.
        byte[] huge = WebpTestFile.Lossless(new Vp8LBitWriter().Header(16384, 16384).Bits(0, 60).ToArray());
        Assert.Throws<ImageLimitExceededException>(() => WebpDecoder.Decode(huge, ImageLimits.Default, "huge.webp"));
    }
}
