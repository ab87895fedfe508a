using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace FastLaDeDa.Training.Data;

/// <summary>
/// What a model was trained on, for the exported metadata and the model card: image counts per
/// class and per source, and a SHA-256 of the sorted file list (label folder + file name, one per
/// line), which identifies the data without shipping it.
/// </summary>
internal sealed record DatasetSummary(int RealCount, int FakeCount, IReadOnlyList<SourceCount> Sources, string FileListSha256)
{
    /// <summary>Counts and hash of <paramref name="images"/>.</summary>
    public static DatasetSummary Of(IReadOnlyList<DatasetImage> images)
    {
        ArgumentNullException.ThrowIfNull(images);
        var sources = images.GroupBy(i => i.Source, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new SourceCount(g.Key, g.Count(i => !i.IsFake), g.Count(i => i.IsFake)))
            .ToList();
        return new DatasetSummary(images.Count(i => !i.IsFake), images.Count(i => i.IsFake), sources, FileListHash(images.Select(i => i.Name)));
    }

    /// <summary>SHA-256 (lower-case hex) of the names sorted ordinally, each followed by a newline.</summary>
    public static string FileListHash(IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var text = new StringBuilder();
        foreach (string name in names.Order(StringComparer.Ordinal)) text.Append(name).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>Total number of images.</summary>
    public int Count => RealCount + FakeCount;

    /// <summary>A compact JSON form: <c>{"real":N,"fake":N,"sources":{"name":[real,fake],...},"file_list_sha256":"..."}</c>.</summary>
    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteNumber("real", RealCount);
            w.WriteNumber("fake", FakeCount);
            w.WriteStartObject("sources");
            foreach (var s in Sources)
            {
                w.WriteStartArray(s.Source);
                w.WriteNumberValue(s.Real);
                w.WriteNumberValue(s.Fake);
                w.WriteEndArray();
            }
            w.WriteEndObject();
            w.WriteString("file_list_sha256", FileListSha256);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>One line for logs: counts and the number of sources.</summary>
    public override string ToString() => $"{Count} images ({RealCount} real, {FakeCount} fake) from {Sources.Count} sources";
}

/// <summary>Real and fake image counts of one source.</summary>
internal sealed record SourceCount(string Source, int Real, int Fake);
