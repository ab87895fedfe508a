using FastLaDeDa.Evaluation;

namespace FastLaDeDa.Cli.Commands;

/// <summary>
/// What <c>detect</c> scores: each argument is an image file, a folder (its images, recursively,
/// in ordinal order of their paths; other files skipped by extension, counted in one note), or
/// <c>-</c>: paths read from stdin, one per line, blank lines ignored.
/// </summary>
internal static class DetectInputs
{
    /// <summary>The argument that means "read the paths from stdin".</summary>
    public const string Stdin = "-";

    /// <summary>
    /// The image paths <paramref name="arguments"/> stand for, in order. A folder without images is
    /// an error line (counted in <paramref name="failures"/>), never a silent skip.
    /// </summary>
    public static List<string> Expand(IEnumerable<string> arguments, TextReader stdin, out int failures)
    {
        failures = 0;
        var paths = new List<string>();
        bool stdinRead = false;
        foreach (string argument in arguments)
        {
            if (argument == Stdin)
            {
                if (stdinRead) continue; // a second "-" would read an exhausted stream
                stdinRead = true;
                int before = paths.Count;
                for (string? line; (line = stdin.ReadLine()) is not null;)
                    if (!string.IsNullOrWhiteSpace(line)) paths.Add(line.TrimEnd('\r'));
                if (paths.Count == before)
                {
                    Console.Error.WriteLine("error: -: no paths on stdin (one image path per line)");
                    failures++;
                }
            }
            else if (Directory.Exists(argument))
            {
                var files = Directory.EnumerateFiles(argument, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
                var images = files.Where(IsImage).ToList();
                int skipped = files.Count - images.Count;
                if (images.Count == 0)
                {
                    Console.Error.WriteLine($"error: {argument}: no image files in this folder (extensions: {string.Join(' ', DatasetWalker.ImageExtensions.Order())})");
                    failures++;
                    continue;
                }
                if (skipped > 0)
                    Console.Error.WriteLine($"note: {argument}: skipped {skipped} file(s) without an image extension");
                paths.AddRange(images);
            }
            else
            {
                paths.Add(argument);
            }
        }
        return paths;
    }

    private static bool IsImage(string path) => DatasetWalker.ImageExtensions.Contains(Path.GetExtension(path));
}
