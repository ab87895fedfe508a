using System.Globalization;

namespace FastLaDeDa.Training.Data;

/// <summary>
/// <c>extra_manifest.csv</c> (../shared/data/EXTRA.md): images kept in public git repositories, each
/// pinned by repository, commit, path and the SHA-1 of its bytes. Parsing checks every row and refuses
/// the reserved evaluation sources; all bad rows are reported together, each with its line.
/// </summary>
internal sealed class ExtraManifest
{
    /// <summary>The header, in this order.</summary>
    public static readonly IReadOnlyList<string> Columns =
        ["source", "label", "repo", "commit", "path", "blob_sha1", "crop", "width", "height", "format", "generator"];

    /// <summary>
    /// Repositories EXTRA.md ("Reserved sources") keeps for independent evaluation — never for training,
    /// validation or model selection — including the sources of <c>test/</c>. A row from one is an error,
    /// so a manifest edit cannot leak them into training.
    /// </summary>
    public static readonly IReadOnlySet<string> ReservedRepositories = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "ByronOMC/ai-vs-real-images-arcade", "declan-wright/Image-Dataset", "xrv0/whichfaceisreal",
        "haywoodsloan/ai-image-detector", "kaivalyagandhi/ai-or-not-game", "PicoTrex/Awesome-Nano-Banana-images",
        "EliSchwartz/imagenet-sample-images", "Stability-AI/stablediffusion",
        "ML72/AI-Image-Classifier-Playground", "CompVis/stable-diffusion", "grip-unina/GANimageDetection", "2spi/ai-v-real",
    };

    private ExtraManifest(string path, IReadOnlyList<ExtraManifestRow> rows)
    {
        Path = path;
        Rows = rows;
    }

    /// <summary>The file it was read from.</summary>
    public string Path { get; }

    /// <summary>The rows, in file order.</summary>
    public IReadOnlyList<ExtraManifestRow> Rows { get; }

    /// <summary>Reads and checks <paramref name="path"/>; a missing file or any bad row is a <see cref="DatasetException"/>.</summary>
    public static ExtraManifest Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new DatasetException($"{path}: manifest not found");
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses manifest text; <paramref name="fileName"/> names it in errors.</summary>
    public static ExtraManifest Parse(string text, string fileName)
    {
        var records = CsvRecords.Parse(text, fileName);
        if (records.Count == 0) throw new DatasetException($"{fileName}: empty manifest (expected the header {string.Join(',', Columns)})");
        if (!records[0].Fields.SequenceEqual(Columns))
            throw new DatasetException($"{fileName}:{records[0].Line}: header is '{string.Join(',', records[0].Fields)}', expected '{string.Join(',', Columns)}'");
        var rows = new List<ExtraManifestRow>();
        var errors = new List<string>();
        foreach (var record in records.Skip(1))
        {
            string? problem = TryParseRow(record, out var row);
            if (problem is null) rows.Add(row!);
            else errors.Add($"{fileName}:{record.Line}: {problem}");
        }
        if (errors.Count > 0)
            throw new DatasetException(errors.Count == 1 ? errors[0]
                : $"{fileName}: {errors.Count} bad rows:" + Environment.NewLine + string.Join(Environment.NewLine, errors.Select(e => "  " + e)));
        if (rows.Count == 0) throw new DatasetException($"{fileName}: no rows after the header");
        return new ExtraManifest(fileName, rows);
    }

    /// <summary>One row, or what is wrong with it.</summary>
    private static string? TryParseRow(CsvRecord record, out ExtraManifestRow? row)
    {
        row = null;
        var f = record.Fields;
        if (f.Count != Columns.Count) return $"{f.Count} columns, expected {Columns.Count} ({string.Join(',', Columns)}; quote fields that hold commas)";
        string source = f[0], label = f[1], repo = f[2], commit = f[3], path = f[4], sha1 = f[5], crop = f[6], format = f[9];
        // The source becomes the staged file's "SOURCE__" prefix, which DatasetImage.SourceOf splits at the first "__".
        if (source.Length == 0 || !source.All(IsNameChar) || source.Contains("__", StringComparison.Ordinal))
            return $"source '{source}': expected letters, digits, '.', '-' and single '_'";
        if (label is not ("0_real" or "1_fake")) return $"label '{label}': expected 0_real or 1_fake";
        string[] repoParts = repo.Split('/');
        if (repoParts.Length != 2 || repoParts.Any(p => p.Length == 0 || !p.All(IsNameChar)))
            return $"repo '{repo}': expected OWNER/NAME";
        if (ReservedRepositories.Contains(repo))
            return $"repo '{repo}' is a reserved evaluation source (EXTRA.md \"Reserved sources\"): never used for training";
        if (!IsHex(commit, 40)) return $"commit '{commit}': expected 40 hex digits";
        if (path.Length == 0 || path.StartsWith('/') || path.Contains('\n') || path.Contains('\r')) return $"path '{path}': expected a relative path in the repository";
        if (!IsHex(sha1, 40)) return $"blob_sha1 '{sha1}': expected 40 hex digits (SHA-1 of the file's bytes)";
        CropBox? box = null;
        if (crop.Length > 0 && (box = CropBox.TryParse(crop)) is null) return $"crop '{crop}': expected empty or 'x0 y0 x1 y1' with x0 < x1, y0 < y1";
        if (!int.TryParse(f[7], NumberStyles.None, CultureInfo.InvariantCulture, out int width) || width <= 0) return $"width '{f[7]}': expected a positive integer";
        if (!int.TryParse(f[8], NumberStyles.None, CultureInfo.InvariantCulture, out int height) || height <= 0) return $"height '{f[8]}': expected a positive integer";
        if (box is { } b && (b.Width != width || b.Height != height)) return $"crop '{crop}' is {b.Width}x{b.Height} but width/height say {width}x{height}";
        if (format.Length == 0) return "format is empty";
        row = new ExtraManifestRow(record.Line, source, label == "1_fake", repo, commit.ToLowerInvariant(), path, sha1.ToLowerInvariant(),
                                   box, width, height, format.ToUpperInvariant(), f[10]);
        return null;
    }

    private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_';

    private static bool IsHex(string text, int length) => text.Length == length && text.All(char.IsAsciiHexDigit);
}
