namespace FastLaDeDa.Training.Data;

/// <summary>One image of <c>extra_manifest.csv</c> (EXTRA.md "Columns").</summary>
/// <param name="Line">The CSV line the row starts on, for error messages.</param>
/// <param name="Source">The source name (the staged file's <c>SOURCE__</c> prefix).</param>
/// <param name="IsFake">True for <c>1_fake</c>.</param>
/// <param name="Repo"><c>OWNER/NAME</c> on GitHub.</param>
/// <param name="Commit">The commit holding the file (40 hex digits).</param>
/// <param name="Path">The file's path in that commit.</param>
/// <param name="BlobSha1">SHA-1 of the file's raw bytes (lower-case hex; not git's blob id).</param>
/// <param name="Crop">The box of the decoded file that is the image, or null for the whole file.</param>
/// <param name="Width">Width after the crop.</param>
/// <param name="Height">Height after the crop.</param>
/// <param name="Format">Format of the stored file (JPEG, PNG, WEBP, TIFF, ...).</param>
/// <param name="Generator">What made it (free text).</param>
internal sealed record ExtraManifestRow(int Line, string Source, bool IsFake, string Repo, string Commit, string Path,
                                      string BlobSha1, CropBox? Crop, int Width, int Height, string Format, string Generator)
{
    /// <summary><c>0_real</c> or <c>1_fake</c>.</summary>
    public string Label => IsFake ? "1_fake" : "0_real";

    /// <summary><c>repo@commit:path</c>: how errors and the decoder name the file.</summary>
    public string Location => $"{Repo}@{Commit}:{Path}";
}
