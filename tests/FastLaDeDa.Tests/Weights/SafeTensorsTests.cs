using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using FastLaDeDa.Errors;
using FastLaDeDa.Tests.Support;
using FastLaDeDa.Weights;

namespace FastLaDeDa.Tests.Weights;

public sealed class SafeTensorsTests
{
    private static byte[] UInt16Bytes(params ushort[] values)
    {
        var bytes = new byte[values.Length * 2];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(i * 2), values[i]);
        return bytes;
    }

    private static byte[] Int64Bytes(params long[] values)
    {
        var bytes = new byte[values.Length * 8];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(i * 8), values[i]);
        return bytes;
    }

    private static byte[] Int32Bytes(params int[] values)
    {
        var bytes = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(i * 4), values[i]);
        return bytes;
    }

    /// <summary>Every dtype, with edge values: negatives, subnormals, infinities and NaNs with payloads.</summary>
    private static Dictionary<string, TensorData> AllDTypes() => new()
    {
        ["f32"] = new(TensorDType.Float32, [7], Int32Bytes(
            BitConverter.SingleToInt32Bits(-1.5f), 0, unchecked((int)0x80000000), 1 /* smallest subnormal */,
            BitConverter.SingleToInt32Bits(float.PositiveInfinity), 0x7fc00001 /* NaN payload */, unchecked((int)0xffc12345))),
        ["f16"] = new(TensorDType.Float16, [2, 3], UInt16Bytes(0x0001, 0x8001, 0xbc00, 0x7e01, 0x7c00, 0x3c00)),
        ["bf16"] = new(TensorDType.BFloat16, [4], UInt16Bytes(0x3f80, 0xbf80, 0x7fc1, 0x0001)),
        ["f64"] = new(TensorDType.Float64, [2, 2], Int64Bytes(BitConverter.DoubleToInt64Bits(Math.PI), long.MinValue /* -0.0 */, 1, 0x7ff8000000000001)),
        ["i64"] = new(TensorDType.Int64, [4], Int64Bytes(long.MinValue, -1, 0, long.MaxValue)),
        ["i32"] = new(TensorDType.Int32, [3], Int32Bytes(int.MinValue, -7, int.MaxValue)),
        ["u8"] = new(TensorDType.UInt8, [5], [0, 1, 127, 128, 255]),
        ["scalar"] = TensorData.FromFloat32([42f]),
        ["empty"] = new(TensorDType.Int64, [0, 3], []),
    };

    private static readonly Dictionary<string, string> SomeMetadata = new() { ["producer"] = "test ü +<>\"", ["format"] = "pt" };

    private static byte[] WriteToBytes(IEnumerable<KeyValuePair<string, TensorData>> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        using var stream = new MemoryStream();
        SafeTensors.Write(stream, tensors, metadata);
        return stream.ToArray();
    }

    [Fact]
    public void RoundTripsEveryDTypeBitExactlyWithMetadata()
    {
        var original = AllDTypes();
        byte[] written = WriteToBytes(original, SomeMetadata);
        StateDict read = SafeTensors.Read(written, "mem.safetensors");

        Assert.Equal(original.Keys.Order(), read.Tensors.Keys.Order());
        foreach (var (name, tensor) in original)
        {
            TensorData back = read.Tensors[name];
            Assert.Equal(tensor.DType, back.DType);
            Assert.Equal(tensor.Shape.ToArray(), back.Shape.ToArray());
            Assert.True(tensor.Bytes.SequenceEqual(back.Bytes), $"{name} bytes differ");
        }
        Assert.Equal(SomeMetadata, read.Metadata);
        Assert.Equal("mem.safetensors", read.SourcePath);

        // Values decode as expected (subnormal half, bfloat16, NaN payload kept in the bits).
        float[] half = read.Tensors["f16"].ToFloat32();
        Assert.Equal(MathF.Pow(2, -24), half[0]);
        Assert.Equal(-MathF.Pow(2, -24), half[1]);
        Assert.Equal(-1f, half[2]);
        Assert.True(float.IsNaN(half[3]));
        Assert.Equal([1f, -1f], read.Tensors["bf16"].ToFloat32()[..2]);
        Assert.Equal(0x7fc00001, BinaryPrimitives.ReadInt32LittleEndian(read.Tensors["f32"].Bytes[20..]));
        Assert.Equal([long.MinValue, -1, 0, long.MaxValue], read.Tensors["i64"].ToInt64());
        Assert.Equal([42f], read.Tensors["scalar"].ToFloat32());
        Assert.Empty(read.Tensors["scalar"].Shape);

        // Writing what was read reproduces the file byte for byte.
        Assert.Equal(written, WriteToBytes(read.Tensors, read.Metadata));
    }

    [Fact]
    public void WriterIsDeterministicSortedAndPadded()
    {
        var tensors = AllDTypes();
        byte[] a = WriteToBytes(tensors, SomeMetadata);
        byte[] b = WriteToBytes(tensors.Reverse(), SomeMetadata.Reverse().ToDictionary());
        Assert.Equal(a, b);

        long headerLength = BinaryPrimitives.ReadInt64LittleEndian(a);
        Assert.Equal(0, headerLength % 8);
        string header = Encoding.UTF8.GetString(a, 8, (int)headerLength);
        Assert.StartsWith("{\"__metadata__\":{\"format\":\"pt\",\"producer\":", header);
        using var json = JsonDocument.Parse(header);
        var names = json.RootElement.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(["__metadata__", .. tensors.Keys.Order(StringComparer.Ordinal)], names);
        // Packed in header order from offset 0 with no gaps, ending at the end of the file.
        long expectedBegin = 0;
        foreach (JsonProperty p in json.RootElement.EnumerateObject().Skip(1))
        {
            Assert.Equal(expectedBegin, p.Value.GetProperty("data_offsets")[0].GetInt64());
            expectedBegin = p.Value.GetProperty("data_offsets")[1].GetInt64();
        }
        Assert.Equal(a.Length - 8 - headerLength, expectedBegin);
    }

    [Fact]
    public void WritesAndReadsFiles()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "w.safetensors");
        SafeTensors.Write(path, new StateDict(AllDTypes(), SomeMetadata));
        StateDict read = SafeTensors.Read(path);
        Assert.Equal(path, read.SourcePath);
        Assert.Equal(9, read.Tensors.Count);
        Assert.Equal(WriteToBytes(AllDTypes(), SomeMetadata), File.ReadAllBytes(path));
        Assert.Equal(read.Tensors["u8"].Bytes.ToArray(), WeightsFile.Load(path).Tensors["u8"].Bytes.ToArray());
    }

    [Fact]
    public void WriterRejectsAmbiguousNames()
    {
        var scalar = TensorData.FromFloat32([1f]);
        Assert.Throws<ArgumentException>(() => WriteToBytes([new("a", scalar), new("a", scalar)], null));
        Assert.Throws<ArgumentException>(() => WriteToBytes([new("__metadata__", scalar)], null));
    }

    [SkippableFact]
    public void ReadsTheGoldenFile()
    {
        string path = SharedData.Require("golden", "goldens.safetensors");
        StateDict golden = SafeTensors.Read(path);

        Assert.Equal(106, golden.Tensors.Count);
        TensorData resized = golden.Tensors["real_progan_png256.resized"];
        Assert.Equal(TensorDType.UInt8, resized.DType);
        Assert.True(resized.HasShape([256, 256, 3]));
        TensorData map = golden.Tensors["real_progan_png256.wildrf_tiny.map"];
        Assert.Equal(TensorDType.Float32, map.DType);
        Assert.True(map.HasShape([126, 126]));
        Assert.StartsWith("PyTorch 1.13", golden.Metadata["producer"]);

        // The map's bytes are those at its data_offsets, found here with an independent parse.
        byte[] file = File.ReadAllBytes(path);
        int headerLength = (int)BinaryPrimitives.ReadInt64LittleEndian(file);
        using var header = JsonDocument.Parse(file.AsMemory(8, headerLength));
        JsonElement offsets = header.RootElement.GetProperty("real_progan_png256.wildrf_tiny.map").GetProperty("data_offsets");
        int begin = 8 + headerLength + offsets[0].GetInt32(), end = 8 + headerLength + offsets[1].GetInt32();
        Assert.True(map.Bytes.SequenceEqual(file.AsSpan(begin, end - begin)));
        Assert.All(map.ToFloat32(), v => Assert.True(float.IsFinite(v)));

        // Content sniffing picks safetensors, and our writer's output reads back identically.
        Assert.Equal(106, WeightsFile.Load(path).Tensors.Count);
        StateDict again = SafeTensors.Read(WriteToBytes(golden.Tensors, golden.Metadata));
        Assert.All(golden.Tensors, t => Assert.True(t.Value.Bytes.SequenceEqual(again.Tensors[t.Key].Bytes)));
    }

    // ---- malformed files -------------------------------------------------------------------

    private static byte[] SafetensorsBytes(string header, int bufferLength)
    {
        byte[] json = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + json.Length + bufferLength];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, json.Length);
        json.CopyTo(bytes, 8);
        return bytes;
    }

    private static void AssertRejected(string caseName, byte[] content, string expectedCause, WeightsLimits? limits = null)
    {
        using var dir = new TempDirectory();
        string path = dir.Write(caseName + ".safetensors", content);
        var fromFile = Assert.Throws<WeightsFormatException>(() => SafeTensors.Read(path, limits));
        Assert.StartsWith(path + ": ", fromFile.Message);
        Assert.Contains(expectedCause, fromFile.Message);
        Assert.Equal(path, fromFile.FilePath);

        var fromMemory = Assert.Throws<WeightsFormatException>(() => SafeTensors.Read(content, "mem.safetensors", limits));
        Assert.StartsWith("mem.safetensors: ", fromMemory.Message);
        Assert.Contains(expectedCause, fromMemory.Message);

        if (content.Length > 0 && limits is null)
            Assert.Contains(expectedCause, Assert.Throws<WeightsFormatException>(() => WeightsFile.Load(path)).Message);
    }

    private const string A = "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}";

    public static TheoryData<string, string, int, string> MalformedHeaders => new()
    {
        { "not-json", "{\"a\":", 0, "header is not valid JSON" },
        { "trailing-garbage", "{" + A + "}x", 8, "header is not valid JSON" },
        { "array", "[1,2]", 0, "header is a JSON Array, not an object" },
        { "too-deep", "{\"a\":{\"dtype\":\"F32\",\"shape\":[[2]],\"data_offsets\":[0,8]}}", 8, "header is not valid JSON" },
        { "entry-not-object", "{\"a\":[1]}", 0, "tensor 'a' is a JSON Array, not an object" },
        { "missing-dtype", "{\"a\":{\"shape\":[2],\"data_offsets\":[0,8]}}", 8, "tensor 'a' is missing 'dtype'" },
        { "missing-shape", "{\"a\":{\"dtype\":\"F32\",\"data_offsets\":[0,8]}}", 8, "tensor 'a' is missing 'shape'" },
        { "missing-offsets", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2]}}", 8, "tensor 'a' is missing 'data_offsets'" },
        { "unknown-field", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8],\"foo\":1}}", 8, "tensor 'a' has unknown field 'foo'" },
        { "repeated-field", "{\"a\":{\"dtype\":\"F32\",\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8, "tensor 'a' has field 'dtype' twice" },
        { "dtype-number", "{\"a\":{\"dtype\":4,\"shape\":[2],\"data_offsets\":[0,8]}}", 8, "'dtype' is a JSON Number, not a string" },
        { "dtype-bool", "{\"a\":{\"dtype\":\"BOOL\",\"shape\":[2],\"data_offsets\":[0,2]}}", 2, "tensor 'a' has unsupported dtype 'BOOL'" },
        { "dtype-i8", "{\"a\":{\"dtype\":\"I8\",\"shape\":[2],\"data_offsets\":[0,2]}}", 2, "tensor 'a' has unsupported dtype 'I8'" },
        { "dtype-f8", "{\"a\":{\"dtype\":\"F8_E4M3\",\"shape\":[2],\"data_offsets\":[0,2]}}", 2, "tensor 'a' has unsupported dtype 'F8_E4M3'" },
        { "shape-string", "{\"a\":{\"dtype\":\"F32\",\"shape\":\"2\",\"data_offsets\":[0,8]}}", 8, "'shape' is a JSON String, not an array" },
        { "negative-dim", "{\"a\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", 8, "shape entry -2 is not a non-negative integer" },
        { "fractional-dim", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2.5],\"data_offsets\":[0,8]}}", 8, "shape entry 2.5 is not a non-negative integer" },
        { "string-dim", "{\"a\":{\"dtype\":\"F32\",\"shape\":[\"2\"],\"data_offsets\":[0,8]}}", 8, "shape entry \"2\" is not a non-negative integer" },
        { "huge-dim", "{\"a\":{\"dtype\":\"F32\",\"shape\":[4294967296],\"data_offsets\":[0,8]}}", 8, "shape entry 4294967296 is above 2147483647" },
        { "count-overflow", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2147483647,2147483647,2147483647],\"data_offsets\":[0,8]}}", 8, "needs more than the limit of" },
        { "offsets-reversed", "{\"a\":{\"dtype\":\"U8\",\"shape\":[0],\"data_offsets\":[8,0]}}", 8, "data_offsets [8, 0] are not a range inside the 8-byte data buffer" },
        { "offsets-past-buffer", "{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", 8, "data_offsets [0, 16] are not a range inside the 8-byte data buffer" },
        { "offsets-three", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4,8]}}", 8, "'data_offsets' must be two non-negative integers" },
        { "offsets-negative", "{\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[-1,0]}}", 8, "'data_offsets' must be two non-negative integers" },
        { "size-mismatch", "{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8, "data_offsets [0, 8] hold 8 bytes but F32 [3] needs 12" },
        { "overlap", "{" + A + ",\"b\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[4,8]}}", 8, "tensor 'b' (bytes 4..8) overlaps tensor 'a'" },
        { "hole", "{" + A + ",\"b\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[12,16]}}", 16, "bytes 8..12 of the data buffer belong to no tensor (a hole)" },
        { "trailing-data", "{" + A + "}", 12, "bytes 8..12 of the data buffer belong to no tensor (trailing data)" },
        { "duplicate-name", "{" + A + "," + A + "}", 8, "the safetensors header names 'a' twice" },
        { "metadata-number", "{\"__metadata__\":{\"k\":1}," + A + "}", 8, "__metadata__ value 'k' is a JSON Number, not a string" },
        { "metadata-string", "{\"__metadata__\":\"x\"," + A + "}", 8, "__metadata__ is a JSON String, not an object of strings" },
        { "metadata-repeated", "{\"__metadata__\":{\"k\":\"1\",\"k\":\"2\"}," + A + "}", 8, "__metadata__ names 'k' twice" },
        { "name-with-newline", "{\"a\\nb\":{\"dtype\":\"I16\",\"shape\":[1],\"data_offsets\":[0,2]}}", 2, "tensor 'a\\u000ab' has unsupported dtype 'I16'" },
    };

    [Theory]
    [MemberData(nameof(MalformedHeaders))]
    public void RejectsMalformedHeader(string caseName, string header, int bufferLength, string expectedCause)
        => AssertRejected(caseName, SafetensorsBytes(header, bufferLength), expectedCause);

    [Fact]
    public void AcceptsTheBaselineOfTheMalformedCases()
    {
        // Guards the theory above: the good file it is derived from reads fine.
        StateDict ok = SafeTensors.Read(SafetensorsBytes("{" + A + ",\"b\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[8,12]}}", 12));
        Assert.Equal(2, ok.Tensors.Count);
        Assert.True(ok.Tensors["b"].HasShape([4]));
    }

    [Fact]
    public void RejectsEmptyFile() => AssertRejected("empty", [], "file is empty");

    [Fact]
    public void RejectsFileShorterThanTheLengthPrefix()
        => AssertRejected("short", [1, 0, 0, 0, 0], "file is 5 bytes, too short for the 8-byte safetensors header length");

    [Fact]
    public void RejectsHeaderLengthAboveLimit()
    {
        byte[] bytes = SafetensorsBytes("{" + A + "}", 8);
        BinaryPrimitives.WriteInt64LittleEndian(bytes, 1L << 40);
        AssertRejected("huge-header", bytes, "safetensors header length 1099511627776 is above the limit of 16777216 bytes");
        AssertRejected("limit-header", SafetensorsBytes("{" + A + "}", 8), "is above the limit of 16 bytes", WeightsLimits.Default with { MaxHeaderBytes = 16 });
    }

    [Fact]
    public void RejectsHeaderLengthPastEndOfFile()
    {
        byte[] bytes = SafetensorsBytes("{}", 0);
        BinaryPrimitives.WriteInt64LittleEndian(bytes, 100);
        AssertRejected("past-end", bytes, "safetensors header length 100 runs past the end of the file (10 bytes)");
    }

    [Fact]
    public void RejectsHeaderThatIsNotUtf8()
    {
        byte[] bytes = SafetensorsBytes("{\"a??\":{}}", 0);
        bytes[11] = 0xff; // "??" becomes two bytes that never occur in UTF-8
        bytes[12] = 0xfe;
        AssertRejected("not-utf8", bytes, "safetensors header is not valid UTF-8");
    }

    [Fact]
    public void EnforcesLimits()
    {
        byte[] good = SafetensorsBytes("{" + A + ",\"b\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[8,12]}}", 12);
        AssertRejected("count", good, "more than 1 tensors (the limit)", WeightsLimits.Default with { MaxTensorCount = 1 });
        AssertRejected("tensor-bytes", good, "tensor 'a' of shape [2] needs more than the limit of 4 bytes", WeightsLimits.Default with { MaxTensorBytes = 4 });
        AssertRejected("file-bytes", good, "bytes, above the limit of 20", WeightsLimits.Default with { MaxFileBytes = 20 });
    }
}
