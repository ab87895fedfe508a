using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using FastLaDeDa.Cli.Reporting;
using FastLaDeDa.Errors;
using FastLaDeDa.Imaging;
using FastLaDeDa.Training.Training;
using StbImageWriteSharp;

namespace FastLaDeDa.Training.Data;

/// <summary>
/// Stages <c>extra_manifest.csv</c> from git mirrors into the WildRF layout: for each row the file's
/// bytes are read from the mirror and checked against the manifest's SHA-1, decoded with the library's
/// decoder (Pillow 9.4's pixels), cropped to the row's box, resized to 256×256 with the library's
/// Pillow-exact BILINEAR and written as PNG to <c>OUT/0_real</c> or <c>OUT/1_fake</c> as
/// <c>SOURCE__NAME.png</c>, with <c>OUT/staged.csv</c> listing them. Every failure of a run is reported
/// at once; nothing is left in OUT unless the whole run succeeds.
/// </summary>
internal static class ExtraStager
{
    /// <summary>The list of staged files, written last; its presence marks a folder this tool made (and may replace).</summary>
    public const string StagedCsvName = "staged.csv";

    /// <summary>The source whose images carry Gemini's visible sparkle mark (EXTRA.md "Caveats").</summary>
    public const string GeminiMarkSource = "gpt_image_prompts_songguoxs";

    /// <summary>
    /// Percent of the width dropped on the right and of the height dropped at the bottom for
    /// <see cref="GeminiMarkSource"/>: Gemini's sparkle sits in the bottom-right corner, a cue no real
    /// photo has, so the detector must not be able to learn it (EXTRA.md: crop or mask the corner margin).
    /// </summary>
    public const int GeminiMarkMarginPercent = 6;

    /// <summary>
    /// Formats the library's decoder refuses by design (it recognises TIFF and names it rather than
    /// decoding it). EXTRA.md: use such files once the decoder reads them, skip them otherwise; rows of
    /// these formats are still read and SHA-1-checked, then reported as skipped, never silently dropped.
    /// </summary>
    public static readonly IReadOnlySet<string> SkippedFormats = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "TIFF" };

    /// <summary>The columns of <c>staged.csv</c>.</summary>
    public static readonly IReadOnlyList<string> StagedColumns =
        ["source", "label", "file", "repo", "commit", "path", "blob_sha1", "crop", "width", "height", "generator"];

    /// <summary>
    /// <c>SOURCE__NAME.png</c>: NAME is the manifest path with every character outside [A-Za-z0-9._-]
    /// (the <c>/</c> included) replaced by <c>_</c>, plus <c>__x0_y0_x1_y1</c> for a cropped tile.
    /// </summary>
    public static string FileNameOf(ExtraManifestRow row) => BaseName(row) + ".png";

    /// <summary>
    /// The staged file name of every manifest row, in row order: <see cref="FileNameOf"/>, except that a
    /// row whose name (within its label folder, ignoring case) an earlier row already has gets
    /// <c>__</c> and the first 8 hex digits of its SHA-1 before <c>.png</c> (one source may take the same
    /// path from two repositories: SD.Next's previews are in vladmandic/sdnext and vladmandic/automatic).
    /// Names come from the whole manifest, so <c>--sources</c> does not change them. Rows that still
    /// share a name (the same file listed twice) are a <see cref="DatasetException"/>.
    /// </summary>
    public static string[] FileNamesOf(ExtraManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var rows = manifest.Rows;
        var names = new string[rows.Count];
        // Case-insensitive, so the folder also works on a case-insensitive file system.
        var taken = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var clashes = new List<string>();
        for (int i = 0; i < rows.Count; i++)
        {
            names[i] = FileNameOf(rows[i]);
            if (taken.ContainsKey($"{rows[i].Label}/{names[i]}")) names[i] = $"{BaseName(rows[i])}__{rows[i].BlobSha1[..8]}.png";
            if (!taken.TryAdd($"{rows[i].Label}/{names[i]}", i))
                clashes.Add($"  {rows[i].Label}/{names[i]}: lines {rows[taken[$"{rows[i].Label}/{names[i]}"]].Line}, {rows[i].Line}");
        }
        if (clashes.Count > 0)
            throw new DatasetException($"{manifest.Path}: {clashes.Count} row(s) would be staged under a name another row has (the same file listed twice?):" + Environment.NewLine + string.Join(Environment.NewLine, clashes));
        return names;
    }

    private static string BaseName(ExtraManifestRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var name = new StringBuilder(row.Source).Append("__");
        foreach (char c in row.Path) name.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '_');
        if (row.Crop is { } b) name.Append($"__{b.X0}_{b.Y0}_{b.X1}_{b.Y1}");
        return name.ToString();
    }

    /// <summary>
    /// The 256×256 training image of a row from the file's bytes: decode, crop, Gemini margin, resize.
    /// Throws <see cref="DatasetException"/> (a crop outside the image, a size unlike the manifest's) or
    /// the decoder's <see cref="FastLaDeDaException"/>.
    /// </summary>
    public static Rgb24Image Prepare(ExtraManifestRow row, ReadOnlySpan<byte> bytes)
    {
        ArgumentNullException.ThrowIfNull(row);
        Rgb24Image image = ImageDecoder.Decode(bytes, row.Location);
        if (row.Crop is { } box)
        {
            if (!box.FitsIn(image.Width, image.Height))
                throw new DatasetException($"{row.Source}: {row.Location}: crop '{box}' lies outside the {image.Width}x{image.Height} image");
            image = box.Apply(image);
        }
        if (image.Width != row.Width || image.Height != row.Height)
            throw new DatasetException($"{row.Source}: {row.Location}: decodes to {image.Width}x{image.Height}{(row.Crop is null ? "" : " after the crop")}, the manifest says {row.Width}x{row.Height}");
        if (row.Source == GeminiMarkSource) image = WithoutGeminiMargin(image);
        return ImageTensors.Resize(image);
    }

    /// <summary>The image without the right and bottom <see cref="GeminiMarkMarginPercent"/> % (rounded up, so at least that much goes).</summary>
    public static Rgb24Image WithoutGeminiMargin(Rgb24Image image)
    {
        ArgumentNullException.ThrowIfNull(image);
        int width = image.Width * (100 - GeminiMarkMarginPercent) / 100, height = image.Height * (100 - GeminiMarkMarginPercent) / 100;
        return new CropBox(0, 0, Math.Max(width, 1), Math.Max(height, 1)).Apply(image);
    }

    /// <summary>
    /// Stages the rows of <paramref name="manifest"/> (of <paramref name="sources"/> only, when given)
    /// into <paramref name="outputFolder"/>. The folder must be absent, empty, or one this tool made
    /// (it holds <c>staged.csv</c>), which is then replaced as a whole. Files are built in
    /// <c>OUT.partial</c> and moved into place only when every row succeeded; otherwise one
    /// <see cref="DatasetException"/> lists every failure.
    /// </summary>
    public static ExtraStagingResult Stage(ExtraManifest manifest, GitMirrorSet mirrors, string outputFolder, IReadOnlyCollection<string>? sources = null)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(mirrors);
        ArgumentNullException.ThrowIfNull(outputFolder);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        string[] allNames = FileNamesOf(manifest);
        int[] picked = Select(manifest, sources);
        var rows = picked.Select(i => manifest.Rows[i]).ToList();
        string[] names = picked.Select(i => allNames[i]).ToArray();
        string output = Path.GetFullPath(outputFolder).TrimEnd(Path.DirectorySeparatorChar);
        CheckReplaceable(output);

        string partial = output + ".partial";
        if (Directory.Exists(partial)) Directory.Delete(partial, recursive: true);
        Directory.CreateDirectory(Path.Combine(partial, "0_real"));
        Directory.CreateDirectory(Path.Combine(partial, "1_fake"));
        var skipped = new bool[rows.Count];
        var failures = new ConcurrentBag<(int Index, string Message)>();
        var bar = new ProgressBar("stage-extra", rows.Count, "file");
        int done = 0;
        try
        {
            // Each row writes its own file, so the output does not depend on the order rows finish in.
            Parallel.For(0, rows.Count, i =>
            {
                var row = rows[i];
                try
                {
                    byte[] bytes = mirrors.ReadFile(row.Source, row.Repo, row.Commit, row.Path);
                    string actual = Convert.ToHexStringLower(SHA1.HashData(bytes));
                    if (actual != row.BlobSha1)
                        throw new DatasetException($"{row.Source}: {row.Location}: SHA-1 of the file is {actual}, the manifest says {row.BlobSha1}");
                    if (SkippedFormats.Contains(row.Format)) skipped[i] = true;
                    else WritePng(Path.Combine(partial, row.Label, names[i]), Prepare(row, bytes));
                }
                catch (Exception ex) when (ex is DatasetException or FastLaDeDaException or IOException or UnauthorizedAccessException)
                {
                    // The decoder's messages already start with repo@commit:path; prefix the source for the rest alike.
                    failures.Add((i, ex is FastLaDeDaException ? $"{row.Source}: {ex.Message}" : ex is DatasetException ? ex.Message : $"{row.Source}: {row.Location}: {ex.Message}"));
                }
                int finished = Interlocked.Increment(ref done);
                lock (bar) bar.Report(finished, null);
            });
            if (!failures.IsEmpty)
            {
                var sorted = failures.OrderBy(f => f.Index).Select(f => f.Message).ToList();
                throw new DatasetException($"{manifest.Path}: {sorted.Count} of {rows.Count} file(s) cannot be staged (nothing written to {output}):"
                                           + Environment.NewLine + string.Join(Environment.NewLine, sorted.Select(m => "  " + m)));
            }
            var staged = Enumerable.Range(0, rows.Count).Where(i => !skipped[i]).Select(i => new StagedExtraImage(rows[i], $"{rows[i].Label}/{names[i]}")).ToList();
            WriteStagedCsv(Path.Combine(partial, StagedCsvName), staged);
            if (Directory.Exists(output)) Directory.Delete(output, recursive: true);
            Directory.Move(partial, output);
            return new ExtraStagingResult(output, staged, Enumerable.Range(0, rows.Count).Where(i => skipped[i]).Select(i => rows[i]).ToList(), clock.Elapsed.TotalSeconds);
        }
        finally
        {
            if (Directory.Exists(partial)) Directory.Delete(partial, recursive: true);
        }
    }

    /// <summary>Indices of the rows of <paramref name="sources"/> (all rows when null or empty); an unknown source is an error.</summary>
    private static int[] Select(ExtraManifest manifest, IReadOnlyCollection<string>? sources)
    {
        var all = Enumerable.Range(0, manifest.Rows.Count);
        if (sources is null || sources.Count == 0) return all.ToArray();
        var known = manifest.Rows.Select(r => r.Source).ToHashSet(StringComparer.Ordinal);
        var unknown = sources.Where(s => !known.Contains(s)).ToList();
        if (unknown.Count > 0)
            throw new DatasetException($"{manifest.Path}: no source {string.Join(", ", unknown)} (sources: {string.Join(", ", known.Order(StringComparer.Ordinal))})");
        return all.Where(i => sources.Contains(manifest.Rows[i].Source)).ToArray();
    }

    private static void CheckReplaceable(string output)
    {
        if (File.Exists(output)) throw new DatasetException($"{output}: is a file, expected an output folder");
        if (!Directory.Exists(output) || !Directory.EnumerateFileSystemEntries(output).Any()) return;
        if (!File.Exists(Path.Combine(output, StagedCsvName)))
            throw new DatasetException($"{output}: not empty and not made by stage-extra (no {StagedCsvName}); give an empty or new folder");
    }

    private static void WritePng(string path, Rgb24Image image)
    {
        using var stream = File.Create(path);
        new ImageWriter().WritePng(image.Pixels, image.Width, image.Height, ColorComponents.RedGreenBlue, stream);
    }

    private static void WriteStagedCsv(string path, IReadOnlyList<StagedExtraImage> staged)
    {
        var text = new StringBuilder(string.Join(',', StagedColumns)).Append('\n');
        foreach (var (row, file) in staged)
        {
            string[] fields = [row.Source, row.Label, file, row.Repo, row.Commit, row.Path, row.BlobSha1, row.Crop?.ToString() ?? "",
                               row.Width.ToString(System.Globalization.CultureInfo.InvariantCulture), row.Height.ToString(System.Globalization.CultureInfo.InvariantCulture), row.Generator];
            text.AppendJoin(',', fields.Select(CsvRecords.Quote)).Append('\n');
        }
        File.WriteAllText(path, text.ToString());
    }
}
