using System.Buffers;
using System.Buffers.Binary;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Microsoft.Win32.SafeHandles;
using FastLaDeDa.Errors;

namespace FastLaDeDa.Weights;

/// <summary>
/// Reads and writes the safetensors format: an 8-byte little-endian header length, a UTF-8 JSON
/// header <c>{name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {str: str}}</c>,
/// then the tensor bytes, with offsets relative to the start of that byte buffer. Reading is
/// strict: anything the format does not allow (holes, overlaps, size mismatches, ...) is a
/// <see cref="WeightsFormatException"/> naming the file and the cause.
/// </summary>
internal static class SafeTensors
{
    private const string MetadataKey = "__metadata__";
    private const int LengthPrefixBytes = 8;

    /// <summary>Reads a safetensors file; each tensor is read straight into its own array.</summary>
    /// <exception cref="WeightsFormatException">The content is malformed or exceeds <paramref name="limits"/>.</exception>
    public static StateDict Read(string path, WeightsLimits? limits = null)
    {
        limits ??= WeightsLimits.Default;
        using SafeFileHandle file = File.OpenHandle(path);
        long fileLength = RandomAccess.GetLength(file);
        if (fileLength > limits.MaxFileBytes)
            throw new WeightsFormatException(path, $"file is {fileLength} bytes, above the limit of {limits.MaxFileBytes}");

        Span<byte> prefix = stackalloc byte[LengthPrefixBytes];
        ReadExactlyAt(file, prefix[..(int)Math.Min(fileLength, LengthPrefixBytes)], 0, path);
        long headerLength = ValidateHeaderLength(prefix, fileLength, path, limits);

        var headerBytes = new byte[headerLength];
        ReadExactlyAt(file, headerBytes, LengthPrefixBytes, path);
        long bufferStart = LengthPrefixBytes + headerLength;
        Header header = ParseHeader(headerBytes, fileLength - bufferStart, path, limits);

        var tensors = new List<KeyValuePair<string, TensorData>>(header.Entries.Count);
        foreach (Entry e in header.Entries)
        {
            var bytes = new byte[e.End - e.Begin];
            ReadExactlyAt(file, bytes, bufferStart + e.Begin, path);
            tensors.Add(new(e.Name, new TensorData(e.DType, e.Shape, bytes)));
        }
        return new StateDict(tensors, header.Metadata, path);
    }

    /// <summary>Reads safetensors content held in memory; <paramref name="sourceName"/> is used in error messages.</summary>
    /// <exception cref="WeightsFormatException">The content is malformed or exceeds <paramref name="limits"/>.</exception>
    public static StateDict Read(ReadOnlySpan<byte> bytes, string? sourceName = null, WeightsLimits? limits = null)
    {
        limits ??= WeightsLimits.Default;
        if (bytes.Length > limits.MaxFileBytes)
            throw new WeightsFormatException(sourceName, $"input is {bytes.Length} bytes, above the limit of {limits.MaxFileBytes}");
        long headerLength = ValidateHeaderLength(bytes[..Math.Min(bytes.Length, LengthPrefixBytes)], bytes.Length, sourceName, limits);
        int bufferStart = LengthPrefixBytes + (int)headerLength;
        Header header = ParseHeader(bytes[LengthPrefixBytes..bufferStart], bytes.Length - bufferStart, sourceName, limits);

        ReadOnlySpan<byte> buffer = bytes[bufferStart..];
        var tensors = new List<KeyValuePair<string, TensorData>>(header.Entries.Count);
        foreach (Entry e in header.Entries)
            tensors.Add(new(e.Name, new TensorData(e.DType, e.Shape, buffer[(int)e.Begin..(int)e.End].ToArray())));
        return new StateDict(tensors, header.Metadata, sourceName);
    }

    /// <summary>Writes <paramref name="dict"/> (tensors and metadata) to a new file at <paramref name="path"/>.</summary>
    public static void Write(string path, StateDict dict)
    {
        ArgumentNullException.ThrowIfNull(dict);
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
        Write(stream, dict.Tensors, dict.Metadata);
    }

    /// <summary>
    /// Writes tensors and optional metadata in safetensors format. The output is deterministic:
    /// <c>__metadata__</c> first, then tensors sorted by ordinal name, data packed in that order, and
    /// the header padded with spaces to a multiple of 8 bytes, so a read-then-write round trip
    /// reproduces the bytes exactly.
    /// </summary>
    /// <exception cref="ArgumentException">Two tensors share a name, or a tensor is named <c>__metadata__</c>.</exception>
    public static void Write(Stream stream, IEnumerable<KeyValuePair<string, TensorData>> tensors,
                             IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(tensors);
        var sorted = tensors.OrderBy(t => t.Key, StringComparer.Ordinal).ToList();
        for (int i = 0; i < sorted.Count; i++)
        {
            if (sorted[i].Key == MetadataKey) throw new ArgumentException($"a tensor cannot be named {MetadataKey}", nameof(tensors));
            if (i > 0 && sorted[i].Key == sorted[i - 1].Key) throw new ArgumentException($"two tensors are named {sorted[i].Key}", nameof(tensors));
        }

        var header = new ArrayBufferWriter<byte>();
        // Relaxed escaping keeps names readable (no \u002B for '+'); the JSON is never embedded in HTML.
        using (var json = new Utf8JsonWriter(header, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject(MetadataKey);
                foreach (var (key, value) in metadata.OrderBy(m => m.Key, StringComparer.Ordinal))
                    json.WriteString(key, value);
                json.WriteEndObject();
            }
            long offset = 0;
            foreach (var (name, tensor) in sorted)
            {
                json.WriteStartObject(name);
                json.WriteString("dtype", DTypeName(tensor.DType));
                json.WriteStartArray("shape");
                foreach (int d in tensor.Shape) json.WriteNumberValue(d);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset += tensor.Bytes.Length);
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }

        // Padding keeps the data buffer 8-byte aligned, as the reference writer does.
        int padding = (8 - header.WrittenCount % 8) % 8;
        Span<byte> prefix = stackalloc byte[LengthPrefixBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)(header.WrittenCount + padding));
        stream.Write(prefix);
        stream.Write(header.WrittenSpan);
        for (int i = 0; i < padding; i++) stream.WriteByte((byte)' ');
        foreach (var (_, tensor) in sorted) stream.Write(tensor.Bytes);
    }

    /// <summary>The safetensors name of <paramref name="dtype"/> (e.g. <c>F32</c>).</summary>
    public static string DTypeName(TensorDType dtype) => dtype switch
    {
        TensorDType.Float64 => "F64",
        TensorDType.Float32 => "F32",
        TensorDType.Float16 => "F16",
        TensorDType.BFloat16 => "BF16",
        TensorDType.Int64 => "I64",
        TensorDType.Int32 => "I32",
        TensorDType.UInt8 => "U8",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, null),
    };

    private static TensorDType? ParseDType(string name) => name switch
    {
        "F64" => TensorDType.Float64,
        "F32" => TensorDType.Float32,
        "F16" => TensorDType.Float16,
        "BF16" => TensorDType.BFloat16,
        "I64" => TensorDType.Int64,
        "I32" => TensorDType.Int32,
        "U8" => TensorDType.UInt8,
        _ => null,
    };

    private sealed record Entry(string Name, TensorDType DType, int[] Shape, long Begin, long End);

    private sealed record Header(List<Entry> Entries, Dictionary<string, string> Metadata);

    /// <summary>Checks the 8-byte prefix and returns the header length, known to fit in the input and the limit.</summary>
    private static long ValidateHeaderLength(ReadOnlySpan<byte> prefix, long totalLength, string? source, WeightsLimits limits)
    {
        if (totalLength == 0) throw new WeightsFormatException(source, "file is empty");
        if (totalLength < LengthPrefixBytes)
            throw new WeightsFormatException(source, $"file is {totalLength} bytes, too short for the 8-byte safetensors header length");
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength > (ulong)limits.MaxHeaderBytes)
            throw new WeightsFormatException(source, $"safetensors header length {headerLength} is above the limit of {limits.MaxHeaderBytes} bytes");
        if (headerLength > (ulong)(totalLength - LengthPrefixBytes))
            throw new WeightsFormatException(source, $"safetensors header length {headerLength} runs past the end of the file ({totalLength} bytes)");
        return (long)headerLength;
    }

    private static Header ParseHeader(ReadOnlySpan<byte> json, long bufferLength, string? source, WeightsLimits limits)
    {
        // System.Text.Json only checks UTF-8 inside strings lazily; check all of it up front.
        if (!Utf8.IsValid(json)) throw new WeightsFormatException(source, "safetensors header is not valid UTF-8");
        JsonDocument document;
        try
        {
            // Depth 3 = root object, tensor object, shape array: nothing legitimate nests deeper.
            document = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { MaxDepth = 3 });
        }
        catch (JsonException ex)
        {
            throw new WeightsFormatException(source, "safetensors header is not valid JSON: " + ex.Message.ReplaceLineEndings(" "), ex);
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new WeightsFormatException(source, $"safetensors header is a JSON {document.RootElement.ValueKind}, not an object");

            var entries = new List<Entry>();
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (JsonProperty property in document.RootElement.EnumerateObject())
            {
                // JSON allows repeated keys; a weights file must not (which one would win?).
                if (!seen.Add(property.Name))
                    throw new WeightsFormatException(source, $"the safetensors header names {DiagnosticText.Quote(property.Name)} twice");
                if (property.Name == MetadataKey)
                {
                    ParseMetadata(property.Value, metadata, source);
                    continue;
                }
                if (entries.Count == limits.MaxTensorCount)
                    throw new WeightsFormatException(source, $"more than {limits.MaxTensorCount} tensors (the limit)");
                entries.Add(ParseEntry(property.Name, property.Value, bufferLength, source, limits));
            }
            CheckBufferLayout(entries, bufferLength, source);
            return new Header(entries, metadata);
        }
    }

    private static void ParseMetadata(JsonElement value, Dictionary<string, string> metadata, string? source)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw new WeightsFormatException(source, $"{MetadataKey} is a JSON {value.ValueKind}, not an object of strings");
        foreach (JsonProperty item in value.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String)
                throw new WeightsFormatException(source, $"{MetadataKey} value {DiagnosticText.Quote(item.Name)} is a JSON {item.Value.ValueKind}, not a string");
            if (!metadata.TryAdd(item.Name, item.Value.GetString()!))
                throw new WeightsFormatException(source, $"{MetadataKey} names {DiagnosticText.Quote(item.Name)} twice");
        }
    }

    private static Entry ParseEntry(string name, JsonElement value, long bufferLength, string? source, WeightsLimits limits)
    {
        string tensor = "tensor " + DiagnosticText.Quote(name);
        if (value.ValueKind != JsonValueKind.Object)
            throw new WeightsFormatException(source, $"{tensor} is a JSON {value.ValueKind}, not an object");

        JsonElement? dtypeField = null, shapeField = null, offsetsField = null;
        foreach (JsonProperty field in value.EnumerateObject())
        {
            ref JsonElement? slot = ref dtypeField;
            switch (field.Name)
            {
                case "dtype": break;
                case "shape": slot = ref shapeField; break;
                case "data_offsets": slot = ref offsetsField; break;
                default: throw new WeightsFormatException(source, $"{tensor} has unknown field {DiagnosticText.Quote(field.Name)}");
            }
            if (slot is not null) throw new WeightsFormatException(source, $"{tensor} has field '{field.Name}' twice");
            slot = field.Value;
        }

        if (dtypeField is not { } dtypeJson) throw new WeightsFormatException(source, $"{tensor} is missing 'dtype'");
        if (shapeField is not { } shapeJson) throw new WeightsFormatException(source, $"{tensor} is missing 'shape'");
        if (offsetsField is not { } offsetsJson) throw new WeightsFormatException(source, $"{tensor} is missing 'data_offsets'");

        if (dtypeJson.ValueKind != JsonValueKind.String)
            throw new WeightsFormatException(source, $"{tensor}: 'dtype' is a JSON {dtypeJson.ValueKind}, not a string");
        string dtypeName = dtypeJson.GetString()!;
        TensorDType dtype = ParseDType(dtypeName)
            ?? throw new WeightsFormatException(source, $"{tensor} has unsupported dtype {DiagnosticText.Quote(dtypeName)} (supported: F64, F32, F16, BF16, I64, I32, U8)");

        if (shapeJson.ValueKind != JsonValueKind.Array)
            throw new WeightsFormatException(source, $"{tensor}: 'shape' is a JSON {shapeJson.ValueKind}, not an array");
        var shape = new int[shapeJson.GetArrayLength()];
        int i = 0;
        foreach (JsonElement dim in shapeJson.EnumerateArray())
        {
            if (!dim.TryGetNonNegative(out long d))
                throw new WeightsFormatException(source, $"{tensor}: shape entry {dim.GetRawText()} is not a non-negative integer");
            if (d > int.MaxValue)
                throw new WeightsFormatException(source, $"{tensor}: shape entry {d} is above {int.MaxValue}");
            shape[i++] = (int)d;
        }
        long elementSize = TensorData.SizeOf(dtype);
        long elementCount = CountElements(shape, limits.TensorByteCap / elementSize)
            ?? throw new WeightsFormatException(source, $"{tensor} of shape {DiagnosticText.Shape(shape.Select(d => (long)d))} needs more than the limit of {limits.TensorByteCap} bytes");
        long byteCount = elementCount * elementSize;

        if (offsetsJson.ValueKind != JsonValueKind.Array || offsetsJson.GetArrayLength() != 2
            || !offsetsJson[0].TryGetNonNegative(out long begin) || !offsetsJson[1].TryGetNonNegative(out long end))
            throw new WeightsFormatException(source, $"{tensor}: 'data_offsets' must be two non-negative integers [begin, end], got {offsetsJson.GetRawText()}");
        if (begin > end || end > bufferLength)
            throw new WeightsFormatException(source, $"{tensor}: data_offsets [{begin}, {end}] are not a range inside the {bufferLength}-byte data buffer");
        if (end - begin != byteCount)
            throw new WeightsFormatException(source, $"{tensor}: data_offsets [{begin}, {end}] hold {end - begin} bytes but {dtypeName} {DiagnosticText.Shape(shape.Select(d => (long)d))} needs {byteCount}");
        return new Entry(name, dtype, shape, begin, end);
    }

    /// <summary>The product of <paramref name="shape"/>, or null when it exceeds <paramref name="max"/> (which also rules out overflow).</summary>
    internal static long? CountElements(ReadOnlySpan<int> shape, long max)
    {
        if (shape.Contains(0)) return 0;
        long count = 1;
        foreach (int d in shape)
        {
            if (count > max / d) return null;
            count *= d;
        }
        return count;
    }

    private static bool TryGetNonNegative(this JsonElement element, out long value)
    {
        value = 0;
        return element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out value) && value >= 0;
    }

    /// <summary>The format requires the tensors to tile the data buffer exactly: no overlaps, no holes.</summary>
    private static void CheckBufferLayout(List<Entry> entries, long bufferLength, string? source)
    {
        var byOffset = entries.OrderBy(e => e.Begin).ThenBy(e => e.End).ToList();
        long covered = 0;
        string? previous = null;
        foreach (Entry e in byOffset)
        {
            if (e.Begin < covered)
                throw new WeightsFormatException(source, $"tensor {DiagnosticText.Quote(e.Name)} (bytes {e.Begin}..{e.End}) overlaps tensor {DiagnosticText.Quote(previous!)} (ending at {covered})");
            if (e.Begin > covered)
                throw new WeightsFormatException(source, $"bytes {covered}..{e.Begin} of the data buffer belong to no tensor (a hole)");
            covered = e.End;
            previous = e.Name;
        }
        if (covered != bufferLength)
            throw new WeightsFormatException(source, $"bytes {covered}..{bufferLength} of the data buffer belong to no tensor (trailing data)");
    }

    private static void ReadExactlyAt(SafeFileHandle file, Span<byte> destination, long offset, string path)
    {
        while (!destination.IsEmpty)
        {
            int read = RandomAccess.Read(file, destination, offset);
            // Sizes were validated against the length; a short read means the file shrank meanwhile.
            if (read == 0) throw new WeightsFormatException(path, $"file ended early at byte {offset} (was it truncated while being read?)");
            destination = destination[read..];
            offset += read;
        }
    }
}
