using FastLaDeDa.Errors;
using FastLaDeDa.Imaging;
using FastLaDeDa.Imaging.Formats.Webp;
using FastLaDeDa.Tests.Support;

namespace FastLaDeDa.Tests.Imaging.Webp;

/// <summary>
/// Hand-built VP8L bitstreams (RFC 9649) with the pixels they must give: each prefix code form, the
/// code length code's repeat codes, the color cache, overlapping LZ77 copies and all 120 distance
/// map codes, each transform and their chaining across 16-row bands, meta prefix codes, and the
/// streams libwebp rejects. When libwebp's dwebp is installed, it must agree with every expectation.
/// </summary>
public sealed class Vp8LBitstreamTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private int _files;

    /// <inheritdoc/>
    public void Dispose() => _temp.Dispose();

    private static Rgb24Image Decode(byte[] file) => WebpDecoder.Decode(file, ImageLimits.Default, "hand-built.webp");

    /// <summary>The stream decodes to <paramref name="expected"/> (ARGB; RGB compared), and dwebp agrees.</summary>
    private void AssertPixels(byte[] stream, int width, int height, IReadOnlyList<uint> expected)
    {
        byte[] file = WebpTestFile.Lossless(stream);
        byte[] expectedRgb = Vp8LTestEncoder.Rgb(expected);
        Rgb24Image image = Decode(file);
        Assert.Equal((width, height), (image.Width, image.Height));
        Assert.Equal(expectedRgb, image.Pixels);
        if (WebpReference.Find("dwebp") is not null)
        {
            var libwebp = WebpReference.Dwebp(_temp.Write($"stream{_files++}.webp", file));
            Assert.NotNull(libwebp);
            Assert.Equal(expectedRgb, libwebp.Value.Rgb);
        }
    }

    /// <summary>The stream is refused with a message containing <paramref name="cause"/>, and dwebp refuses it too.</summary>
    private void AssertRejected(byte[] stream, string cause)
    {
        byte[] file = WebpTestFile.Lossless(stream);
        var e = Assert.Throws<ImageDecodeException>(() => Decode(file));
        Assert.Contains("hand-built.webp", e.Message);
        Assert.Contains(cause, e.Message);
        if (WebpReference.Find("dwebp") is not null)
            Assert.Null(WebpReference.Dwebp(_temp.Write($"stream{_files++}.webp", file)));
    }

    private static Vp8LBitWriter PlainHeader(int width, int height) =>
        new Vp8LBitWriter().Header(width, height).Bits(0, 1).Bits(0, 1).Bits(0, 1); // no transform, no cache, no meta codes

    [Fact]
    public void Single_symbol_codes_take_no_bits()
    {
        var writer = PlainHeader(3, 2);
        writer.SimpleCode(280, 0x40);
        writer.SimpleCode(256, 0x10);
        writer.SimpleCode(256, 0x20);
        writer.SimpleCode(256, 0xFF);
        writer.SimpleCode(40, 0);
        int headerBits = writer.BitCount;

        AssertPixels(writer.ToArray(), 3, 2, Enumerable.Repeat(0xFF104020u, 6).ToArray());
        Assert.Equal(headerBits, writer.BitCount);
    }

    [Fact]
    public void Two_symbol_simple_codes_in_both_forms()
    {
        var writer = PlainHeader(4, 2);
        TestPrefixCode green = writer.SimpleCode(280, 3, 200); // 8-bit first symbol
        writer.SimpleCode(256, 7);
        TestPrefixCode blue = writer.SimpleCode(256, 1, 0);    // 1-bit first symbol
        writer.SimpleCode(256, 255);
        writer.SimpleCode(40, 0);
        uint[] expected = [.. Enumerable.Range(0, 8).Select(i => 0xFF070000u | ((i % 3 == 0 ? 200u : 3u) << 8) | (uint)(i % 2))];
        foreach (uint p in expected)
        {
            green.Write(writer, (int)(p >> 8) & 0xFF);
            blue.Write(writer, (int)p & 0xFF);
        }
        AssertPixels(writer.ToArray(), 4, 2, expected);
    }

    [Fact]
    public void Code_lengths_use_repeat_codes_max_symbol_and_the_initial_previous_length_of_8()
    {
        var writer = PlainHeader(5, 3);
        // Green: symbols 10..13 of length 2, written as 17 (ten zeros), 2, 16 (three more 2s), then
        // max_symbol = 3 code length symbols: the rest is zero.
        int[] greenLengths = new int[280];
        for (int s = 10; s <= 13; s++) greenLengths[s] = 2;
        int[] greenCodeLengthCode = new int[19];
        greenCodeLengthCode[2] = greenCodeLengthCode[16] = greenCodeLengthCode[17] = greenCodeLengthCode[18] = 2;
        TestPrefixCode green = writer.NormalCode(greenLengths, greenCodeLengthCode, [(17, 7), (2, 0), (16, 0)], maxSymbol: 3);
        // Red: two symbols of length 1 between runs of zeros coded with 18 (11..138 zeros) and 17.
        int[] redLengths = new int[256];
        redLengths[100] = redLengths[255] = 1;
        int[] redCodeLengthCode = new int[19];
        redCodeLengthCode[1] = redCodeLengthCode[17] = 2;
        redCodeLengthCode[18] = redCodeLengthCode[0] = 2;
        TestPrefixCode red = writer.NormalCode(redLengths, redCodeLengthCode,
            [(18, 89), (1, 0), (18, 127), (17, 7), (0, 0), (0, 0), (0, 0), (0, 0), (0, 0), (0, 0), (1, 0)], maxSymbol: null);
        // Blue: 256 symbols of length 8 from 16s alone: before any literal length, 16 repeats 8. The code
        // length code has that one symbol, so each 16 costs only its 2 extra bits.
        int[] blueLengths = [.. Enumerable.Repeat(8, 256)];
        int[] blueCodeLengthCode = new int[19];
        blueCodeLengthCode[16] = 3;
        TestPrefixCode blue = writer.NormalCode(blueLengths, blueCodeLengthCode, [.. Enumerable.Repeat((16, 3), 42), (16, 1)], maxSymbol: null);
        writer.SimpleCode(256, 0x80);
        writer.SimpleCode(40, 0);

        uint[] expected = [.. Enumerable.Range(0, 15).Select(i =>
            0x80000000u | ((i % 2 == 0 ? 100u : 255u) << 16) | ((uint)(10 + i % 4) << 8) | (uint)(i * 17 % 256))];
        foreach (uint p in expected)
        {
            green.Write(writer, (int)(p >> 8) & 0xFF);
            red.Write(writer, (int)(p >> 16) & 0xFF);
            blue.Write(writer, (int)p & 0xFF);
        }
        AssertPixels(writer.ToArray(), 5, 3, expected);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(11)]
    public void Color_cache_returns_the_last_color_of_each_hash_and_zero_for_empty_slots(int cacheBits)
    {
        var writer = new Vp8LBitWriter().Header(6, 2).Bits(0, 1).Bits(1, 1).Bits(cacheBits, 4).Bits(0, 1);
        Vp8LTestCodes codes = Vp8LTestEncoder.WriteFullCodes(writer, cacheBits);
        uint[] colors = [0xFF102030, 0x80FFEEDD, 0x00000001, 0xFF102031];
        var cache = new uint[1 << cacheBits];
        var expected = new List<uint>();
        void Literal(uint argb)
        {
            Vp8LTestEncoder.WriteLiterals(writer, codes, [argb]);
            cache[Vp8LTestEncoder.CacheIndex(argb, cacheBits)] = argb;
            expected.Add(argb);
        }
        void FromCache(int index)
        {
            Vp8LTestEncoder.WriteCacheIndex(writer, codes, index);
            expected.Add(cache[index]);
            cache[Vp8LTestEncoder.CacheIndex(cache[index], cacheBits)] = cache[index];
        }
        foreach (uint color in colors) Literal(color);
        FromCache(Vp8LTestEncoder.CacheIndex(colors[1], cacheBits));
        FromCache(Vp8LTestEncoder.CacheIndex(colors[3], cacheBits));
        int empty = Enumerable.Range(0, 1 << cacheBits).FirstOrDefault(i => cache[i] == 0, -1);
        if (empty >= 0) FromCache(empty);
        while (expected.Count < 12) FromCache(Vp8LTestEncoder.CacheIndex(colors[0], cacheBits));

        AssertPixels(writer.ToArray(), 6, 2, expected);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(12)]
    [InlineData(15)]
    public void Color_cache_sizes_outside_1_to_11_bits_are_rejected(int cacheBits)
    {
        var writer = new Vp8LBitWriter().Header(2, 2).Bits(0, 1).Bits(1, 1).Bits(cacheBits, 4).Bits(0, 1);
        Vp8LTestEncoder.WriteFullCodes(writer, Math.Min(cacheBits, 11));
        AssertRejected(writer.ToArray(), "color cache");
    }

    [Fact]
    public void Overlapping_copies_repeat_their_pattern_across_rows()
    {
        var writer = PlainHeader(7, 5);
        Vp8LTestCodes codes = Vp8LTestEncoder.WriteFullCodes(writer);
        var expected = new List<uint>();
        void Literals(params uint[] pixels)
        {
            Vp8LTestEncoder.WriteLiterals(writer, codes, pixels);
            expected.AddRange(pixels);
        }
        void Copy(int length, int distance)
        {
            Vp8LTestEncoder.WriteBackwardReference(writer, codes, length, distance + 120);
            for (int i = 0; i < length; i++) expected.Add(expected[^distance]);
        }
        Literals(0xFF0000FF, 0xFF00FF00, 0xFFFF0000);
        Copy(11, 3);   // the three-pixel pattern, past the end of row 0
        Copy(6, 1);    // a run of the last pixel
        Literals(0x12345678);
        Copy(9, 2);    // a two-pixel pattern
        Copy(5, 30);   // a plain copy from the first rows
        AssertPixels(writer.ToArray(), 7, 5, expected);
    }

    /// <summary>RFC 9649 §5.2.2: the (dx, dy) of distance codes 1..120, distance = dx + dy × width.</summary>
    private static readonly (int X, int Y)[] PlaneCodes =
    [
        (0, 1), (1, 0), (1, 1), (-1, 1), (0, 2), (2, 0), (1, 2), (-1, 2), (2, 1), (-2, 1), (2, 2), (-2, 2), (0, 3), (3, 0),
        (1, 3), (-1, 3), (3, 1), (-3, 1), (2, 3), (-2, 3), (3, 2), (-3, 2), (0, 4), (4, 0), (1, 4), (-1, 4), (4, 1), (-4, 1),
        (3, 3), (-3, 3), (2, 4), (-2, 4), (4, 2), (-4, 2), (0, 5), (3, 4), (-3, 4), (4, 3), (-4, 3), (5, 0), (1, 5), (-1, 5),
        (5, 1), (-5, 1), (2, 5), (-2, 5), (5, 2), (-5, 2), (4, 4), (-4, 4), (3, 5), (-3, 5), (5, 3), (-5, 3), (0, 6), (6, 0),
        (1, 6), (-1, 6), (6, 1), (-6, 1), (2, 6), (-2, 6), (6, 2), (-6, 2), (4, 5), (-4, 5), (5, 4), (-5, 4), (3, 6), (-3, 6),
        (6, 3), (-6, 3), (0, 7), (7, 0), (1, 7), (-1, 7), (5, 5), (-5, 5), (7, 1), (-7, 1), (4, 6), (-4, 6), (6, 4), (-6, 4),
        (2, 7), (-2, 7), (7, 2), (-7, 2), (3, 7), (-3, 7), (7, 3), (-7, 3), (5, 6), (-5, 6), (6, 5), (-6, 5), (8, 0), (4, 7),
        (-4, 7), (7, 4), (-7, 4), (8, 1), (8, 2), (6, 6), (-6, 6), (8, 3), (5, 7), (-5, 7), (7, 5), (-7, 5), (8, 4), (6, 7),
        (-6, 7), (7, 6), (-7, 6), (8, 5), (7, 7), (-7, 7), (8, 6), (8, 7),
    ];

    [Theory]
    [InlineData(16)]
    [InlineData(3)]   // narrow: many codes give distances below 1, which become 1
    [InlineData(1)]
    public void All_120_distance_codes_copy_from_their_plane_offset(int width)
    {
        const int literals = 130;
        int height = (literals + PlaneCodes.Length + width - 1) / width;
        var writer = PlainHeader(width, height);
        Vp8LTestCodes codes = Vp8LTestEncoder.WriteFullCodes(writer);
        var expected = new List<uint>();
        var random = new Random(width);
        for (int i = 0; i < literals; i++) expected.Add((uint)random.Next() | 0x01000000);
        Vp8LTestEncoder.WriteLiterals(writer, codes, expected);
        for (int code = 1; code <= PlaneCodes.Length; code++)
        {
            var (dx, dy) = PlaneCodes[code - 1];
            int distance = Math.Max(1, dx + dy * width);
            Vp8LTestEncoder.WriteBackwardReference(writer, codes, 1, code);
            expected.Add(expected[^distance]);
        }
        while (expected.Count < width * height)
        {
            Vp8LTestEncoder.WriteLiterals(writer, codes, [0xFFABCDEF]);
            expected.Add(0xFFABCDEF);
        }
        AssertPixels(writer.ToArray(), width, height, expected);
    }

    [Fact]
    public void Long_copies_use_length_extra_bits()
    {
        var writer = PlainHeader(100, 30);
        Vp8LTestCodes codes = Vp8LTestEncoder.WriteFullCodes(writer);
        uint[] row = [.. Enumerable.Range(0, 100).Select(i => (uint)(i * 0x01020304) | 0xFF000000)];
        Vp8LTestEncoder.WriteLiterals(writer, codes, row);
        Vp8LTestEncoder.WriteBackwardReference(writer, codes, 2900, 100 + 120); // 29 rows in one copy
        AssertPixels(writer.ToArray(), 100, 30, [.. Enumerable.Repeat(row, 30).SelectMany(r => r)]);
    }

    [Fact]
    public void A_copy_from_before_the_first_pixel_is_rejected()
    {
        var writer = PlainHeader(4, 4);
        Vp8LTestCodes codes = Vp8LTestEncoder.WriteFullCodes(writer);
        Vp8LTestEncoder.WriteLiterals(writer, codes, [1, 2]);
        Vp8LTestEncoder.WriteBackwardReference(writer, codes, 3, 3 + 120);
        Vp8LTestEncoder.WriteBackwardReference(writer, codes, 11, 1 + 120);
        AssertRejected(writer.ToArray(), "outside the image");
    }

    [Fact]
    public void A_copy_past_the_last_pixel_is_rejected()
    {
        var writer = PlainHeader(4, 4);
        Vp8LTestCodes codes = Vp8LTestEncoder.WriteFullCodes(writer);
        Vp8LTestEncoder.WriteLiterals(writer, codes, [1, 2]);
        Vp8LTestEncoder.WriteBackwardReference(writer, codes, 15, 1 + 120);
        AssertRejected(writer.ToArray(), "outside the image");
    }

    [Fact]
    public void Subtract_green_is_undone()
    {
        var writer = new Vp8LBitWriter().Header(3, 1).Bits(1, 1).Bits(2, 2).Bits(0, 1).Bits(0, 1).Bits(0, 1);
        Vp8LTestCodes codes = Vp8LTestEncoder.WriteFullCodes(writer);
        uint[] coded = [0xFF10F020, 0x00FF80FF, 0x7F000000];
        Vp8LTestEncoder.WriteLiterals(writer, codes, coded);
        AssertPixels(writer.ToArray(), 3, 1, Vp8LSpecReference.AddGreen(coded));
    }

    [Fact]
    public void Every_predictor_mode_including_14_and_15()
    {
        // 16×16 pixels in 4×4 tiles: tile i uses mode i (only the low 4 bits of green count).
        const int width = 16, height = 16, tileBits = 2;
        var random = new Random(11);
        uint[] tiles = [.. Enumerable.Range(0, 16).Select(mode => (uint)random.Next() & 0xFFFF00FF | (uint)(0xA0 | mode) << 8)];
        uint[] residuals = [.. Enumerable.Range(0, width * height).Select(_ => (uint)random.Next() ^ (uint)random.Next() << 16)];
        var writer = new Vp8LBitWriter().Header(width, height).Bits(1, 1).Bits(0, 2).Bits(tileBits - 2, 3);
        Vp8LTestEncoder.WriteSubImage(writer, tiles);
        writer.Bits(0, 1).Bits(0, 1).Bits(0, 1);
        Vp8LTestEncoder.WriteLiterals(writer, Vp8LTestEncoder.WriteFullCodes(writer), residuals);
        AssertPixels(writer.ToArray(), width, height, Vp8LSpecReference.InversePredictor(residuals, width, height, tileBits, tiles));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(1, 9)]
    public void A_predictor_on_a_one_pixel_wide_image(int width, int height)
    {
        // Fuzzing found this: the first row's "left" run after its first pixel is empty when the
        // image is one pixel wide, and reading its output position went past the buffer.
        var random = new Random(width * 31 + height);
        uint[] tiles = [.. Enumerable.Range(0, (height + 3) >> 2).Select(_ => (uint)random.Next())];
        uint[] residuals = [.. Enumerable.Range(0, width * height).Select(_ => (uint)random.Next())];
        var writer = new Vp8LBitWriter().Header(width, height).Bits(1, 1).Bits(0, 2).Bits(0, 3);
        Vp8LTestEncoder.WriteSubImage(writer, tiles);
        writer.Bits(0, 1).Bits(0, 1).Bits(0, 1);
        Vp8LTestEncoder.WriteLiterals(writer, Vp8LTestEncoder.WriteFullCodes(writer), residuals);
        AssertPixels(writer.ToArray(), width, height, Vp8LSpecReference.InversePredictor(residuals, width, height, 2, tiles));
    }

    [Fact]
    public void Cross_color_with_signed_multipliers()
    {
        const int width = 10, height = 6, tileBits = 2;
        var random = new Random(5);
        uint[] tiles = [.. Enumerable.Range(0, 6).Select(_ => (uint)random.Next())];
        uint[] coded = [.. Enumerable.Range(0, width * height).Select(_ => (uint)random.Next() ^ (uint)random.Next() << 16)];
        var writer = new Vp8LBitWriter().Header(width, height).Bits(1, 1).Bits(1, 2).Bits(tileBits - 2, 3);
        Vp8LTestEncoder.WriteSubImage(writer, tiles);
        writer.Bits(0, 1).Bits(0, 1).Bits(0, 1);
        Vp8LTestEncoder.WriteLiterals(writer, Vp8LTestEncoder.WriteFullCodes(writer), coded);
        AssertPixels(writer.ToArray(), width, height, Vp8LSpecReference.InverseCrossColor(coded, width, height, tileBits, tiles));
    }

    [Fact]
    public void Subtract_green_predictor_and_cross_color_chain_across_row_bands()
    {
        // 37 rows span three 16-row bands: the predictor's row above must survive from band to band.
        const int width = 23, height = 37, predictorBits = 2, colorBits = 3;
        var random = new Random(3);
        int PredictorTiles() => ((width + 3) >> 2) * ((height + 3) >> 2);
        int ColorTiles() => ((width + 7) >> 3) * ((height + 7) >> 3);
        uint[] modes = [.. Enumerable.Range(0, PredictorTiles()).Select(_ => (uint)random.Next(14) << 8)];
        uint[] multipliers = [.. Enumerable.Range(0, ColorTiles()).Select(_ => (uint)random.Next())];
        uint[] coded = [.. Enumerable.Range(0, width * height).Select(_ => (uint)random.Next() ^ (uint)random.Next() << 16)];

        var writer = new Vp8LBitWriter().Header(width, height);
        writer.Bits(1, 1).Bits(2, 2);
        writer.Bits(1, 1).Bits(0, 2).Bits(predictorBits - 2, 3);
        Vp8LTestEncoder.WriteSubImage(writer, modes);
        writer.Bits(1, 1).Bits(1, 2).Bits(colorBits - 2, 3);
        Vp8LTestEncoder.WriteSubImage(writer, multipliers);
        writer.Bits(0, 1).Bits(0, 1).Bits(0, 1);
        Vp8LTestEncoder.WriteLiterals(writer, Vp8LTestEncoder.WriteFullCodes(writer), coded);

        // Inverse transforms run in the reverse order of the stream.
        uint[] expected = Vp8LSpecReference.AddGreen(
            Vp8LSpecReference.InversePredictor(
                Vp8LSpecReference.InverseCrossColor(coded, width, height, colorBits, multipliers), width, height, predictorBits, modes));
        AssertPixels(writer.ToArray(), width, height, expected);
    }

    [Theory]
    [InlineData(2, 1)]
    [InlineData(2, 17)]
    [InlineData(3, 9)]
    [InlineData(4, 7)]
    [InlineData(5, 33)]
    [InlineData(16, 3)]
    [InlineData(17, 5)]
    [InlineData(256, 19)]
    public void Color_indexing_unpacks_indices_and_gives_black_beyond_the_palette(int colors, int width)
    {
        const int height = 3;
        int bits = colors > 16 ? 0 : colors > 4 ? 1 : colors > 2 ? 2 : 3;
        int packedWidth = (width + (1 << bits) - 1) >> bits;
        var random = new Random(colors * 100 + width);
        uint[] palette = [.. Enumerable.Range(0, colors).Select(_ => (uint)random.Next() ^ (uint)random.Next() << 16)];
        // Packed indices in green; the other channels of the coded pixels are ignored.
        uint[] packed = [.. Enumerable.Range(0, packedWidth * height).Select(_ => (uint)random.Next() ^ (uint)random.Next() << 16)];

        var writer = new Vp8LBitWriter().Header(width, height).Bits(1, 1).Bits(3, 2).Bits(colors - 1, 8);
        Vp8LTestEncoder.WriteSubImage(writer, Vp8LSpecReference.DeltaCodePalette(palette));
        writer.Bits(0, 1).Bits(0, 1).Bits(0, 1);
        Vp8LTestEncoder.WriteLiterals(writer, Vp8LTestEncoder.WriteFullCodes(writer), packed);
        AssertPixels(writer.ToArray(), width, height, Vp8LSpecReference.InverseColorIndexing(packed, width, height, palette));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(11)]
    [InlineData(200)]
    public void Predictor_on_packed_palette_indices_unpacks_in_place_across_bands(int colors)
    {
        const int width = 29, height = 37, tileBits = 3;
        int bits = colors > 16 ? 0 : colors > 4 ? 1 : colors > 2 ? 2 : 3;
        int packedWidth = (width + (1 << bits) - 1) >> bits;
        var random = new Random(colors);
        uint[] palette = [.. Enumerable.Range(0, colors).Select(_ => (uint)random.Next() ^ (uint)random.Next() << 16)];
        uint[] packed = [.. Enumerable.Range(0, packedWidth * height).Select(_ => (uint)random.Next() ^ (uint)random.Next() << 16)];
        int tiles = ((packedWidth + 7) >> 3) * ((height + 7) >> 3);
        uint[] modes = [.. Enumerable.Range(0, tiles).Select(_ => (uint)random.Next(16) << 8)];
        uint[] residuals = Vp8LSpecReference.ForwardPredictor(packed, packedWidth, height, tileBits, modes);

        // Stream order: palette first (the coded image becomes packedWidth wide), then the predictor on it.
        var writer = new Vp8LBitWriter().Header(width, height).Bits(1, 1).Bits(3, 2).Bits(colors - 1, 8);
        Vp8LTestEncoder.WriteSubImage(writer, Vp8LSpecReference.DeltaCodePalette(palette));
        writer.Bits(1, 1).Bits(0, 2).Bits(tileBits - 2, 3);
        Vp8LTestEncoder.WriteSubImage(writer, modes);
        writer.Bits(0, 1).Bits(0, 1).Bits(0, 1);
        Vp8LTestEncoder.WriteLiterals(writer, Vp8LTestEncoder.WriteFullCodes(writer), residuals);
        AssertPixels(writer.ToArray(), width, height, Vp8LSpecReference.InverseColorIndexing(packed, width, height, palette));
    }

    [Fact]
    public void The_same_transform_twice_is_rejected()
    {
        var writer = new Vp8LBitWriter().Header(2, 2).Bits(1, 1).Bits(2, 2).Bits(1, 1).Bits(2, 2).Bits(0, 1).Bits(0, 1).Bits(0, 1);
        Vp8LTestEncoder.WriteLiterals(writer, Vp8LTestEncoder.WriteFullCodes(writer), [1, 2, 3, 4]);
        AssertRejected(writer.ToArray(), "appears twice");
    }

    /// <summary>Writes a group of five single-symbol codes that make every pixel <paramref name="argb"/>.</summary>
    private static void ConstantGroup(Vp8LBitWriter writer, uint argb)
    {
        writer.SimpleCode(280, (int)(argb >> 8) & 0xFF);
        writer.SimpleCode(256, (int)(argb >> 16) & 0xFF);
        writer.SimpleCode(256, (int)argb & 0xFF);
        writer.SimpleCode(256, (int)(argb >> 24));
        writer.SimpleCode(40, 0);
    }

    [Fact]
    public void Meta_prefix_codes_select_a_group_per_tile()
    {
        // 10×5 image, 4×4 tiles: a 3×2 entropy image; the group number is in red (high) and green (low).
        uint[] groupOfTile = [0, 1, 2, 2, 1, 0];
        uint[] colors = [0xFF112233, 0x80445566, 0x01778899];
        var writer = new Vp8LBitWriter().Header(10, 5).Bits(0, 1).Bits(0, 1).Bits(1, 1).Bits(0, 3);
        Vp8LTestEncoder.WriteSubImage(writer, [.. groupOfTile.Select(g => g << 8)]);
        foreach (uint color in colors) ConstantGroup(writer, color);
        uint[] expected = [.. Enumerable.Range(0, 50).Select(i => colors[groupOfTile[(i / 10 / 4) * 3 + i % 10 / 4]])];
        AssertPixels(writer.ToArray(), 10, 5, expected);
    }

    [Fact]
    public void Sparse_group_numbers_are_remapped_but_unused_groups_must_still_be_valid()
    {
        // Group numbers 0 and 1500: more than 1000, so only the used groups are kept (libwebp's remapping),
        // yet all 1501 groups' codes are read.
        byte[] Stream(bool breakAnUnusedGroup)
        {
            var writer = new Vp8LBitWriter().Header(8, 4).Bits(0, 1).Bits(0, 1).Bits(1, 1).Bits(0, 3);
            Vp8LTestEncoder.WriteSubImage(writer, [1500u << 8, 0]);
            for (int group = 0; group <= 1500; group++)
            {
                if (breakAnUnusedGroup && group == 700)
                {
                    // A distance code whose only symbol is beyond the 40-symbol alphabet: no symbol at all.
                    writer.SimpleCode(280, 0);
                    writer.SimpleCode(256, 0);
                    writer.SimpleCode(256, 0);
                    writer.SimpleCode(256, 0);
                    writer.SimpleCode(40, 200);
                    continue;
                }
                ConstantGroup(writer, group == 1500 ? 0xFFAA0000 : group == 0 ? 0xFF00BB00 : 0xFF0000CCu);
            }
            return writer.ToArray();
        }
        AssertPixels(Stream(false), 8, 4, [.. Enumerable.Range(0, 32).Select(i => i % 8 < 4 ? 0xFFAA0000 : 0xFF00BB00)]);
        AssertRejected(Stream(true), "invalid Huffman code");
    }

    [Fact]
    public void Incomplete_over_subscribed_and_empty_codes_are_rejected()
    {
        foreach (int[] greenLengths in new[]
        {
            Enumerable.Repeat(1, 3).Concat(Enumerable.Repeat(0, 277)).ToArray(),              // over-subscribed
            new[] { 1, 2 }.Concat(Enumerable.Repeat(0, 278)).ToArray(),                       // incomplete
            new int[280],                                                                     // no symbol
        })
        {
            var writer = PlainHeader(2, 2);
            writer.NormalCode(greenLengths);
            writer.SimpleCode(256, 0);
            writer.SimpleCode(256, 0);
            writer.SimpleCode(256, 0);
            writer.SimpleCode(40, 0);
            writer.Bits(0, 16);
            AssertRejected(writer.ToArray(), "invalid Huffman code");
        }
    }

    [Fact]
    public void A_lone_symbol_is_a_zero_bit_code_whatever_its_length_and_out_of_range_simple_symbols_are_ignored()
    {
        var writer = PlainHeader(2, 2);
        int[] greenLengths = new int[280];
        greenLengths[77] = 9;
        writer.NormalCode(greenLengths);
        writer.SimpleCode(256, 5);
        writer.SimpleCode(256, 6);
        writer.SimpleCode(256, 7);
        writer.SimpleCode(40, 200, 1); // 200 is beyond the distance alphabet: only symbol 1 remains
        AssertPixels(writer.ToArray(), 2, 2, Enumerable.Repeat(0x07054D06u, 4).ToArray());
    }

    [Fact]
    public void A_longer_stream_cut_inside_its_pixels_is_rejected_and_trailing_bytes_are_ignored()
    {
        uint[] pixels = [.. Enumerable.Range(0, 64).Select(i => (uint)(i * 0x01030507))];
        byte[] stream = Vp8LTestEncoder.LiteralImage(8, 8, pixels);

        AssertPixels([.. stream, 0xDE, 0xAD], 8, 8, pixels);
        AssertRejected(stream[..^2], "truncated");
    }

    [Fact]
    public void Invalid_headers_are_rejected()
    {
        byte[] valid = Vp8LTestEncoder.LiteralImage(2, 1, [1, 2]);
        byte[] badVersion = [.. valid];
        badVersion[4] |= 0x20;
        Assert.Throws<ImageDecodeException>(() => Decode(WebpTestFile.Lossless(badVersion)));
        byte[] badSignature = [.. valid];
        badSignature[0] = 0x2E;
        Assert.Throws<ImageDecodeException>(() => Decode(WebpTestFile.Lossless(badSignature)));
        Assert.Throws<ImageDecodeException>(() => Decode(WebpTestFile.Lossless(valid[..4])));
    }
}
