using FastLaDeDa.Imaging;

namespace FastLaDeDa.Training.Data;

/// <summary>One decoded training or validation image, held in memory at the model's input size.</summary>
/// <param name="Path">The file it came from.</param>
/// <param name="Name">Its label folder and file name, e.g. <c>1_fake/x.png</c> (what the file-list hash covers).</param>
/// <param name="Source">The data source: the file-name prefix before <c>__</c> (DATA.md's naming), else <c>unknown</c>.</param>
/// <param name="IsFake">True for <c>1_fake</c>.</param>
/// <param name="Image">The pixels, resized to the input size with Pillow's BILINEAR when the file was not already that size.</param>
internal sealed record DatasetImage(string Path, string Name, string Source, bool IsFake, Rgb24Image Image)
{
    /// <summary>The source named by a file name: the part before the first <c>__</c>, else <c>unknown</c>.</summary>
    public static string SourceOf(string fileName)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        int cut = fileName.IndexOf("__", StringComparison.Ordinal);
        return cut > 0 ? fileName[..cut] : "unknown";
    }
}
