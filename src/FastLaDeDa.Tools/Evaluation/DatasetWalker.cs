namespace FastLaDeDa.Evaluation;

/// <summary>
/// Finds the evaluation sets under a root in the WildRF layout: every folder that directly
/// contains <c>0_real</c> and/or <c>1_fake</c> is a set (the root itself included). Image files are
/// matched by extension, case-insensitively; anything else in the label folders is ignored. A file
/// with an image extension that cannot be decoded is an error at scoring time, never a silent skip.
/// </summary>
internal static class DatasetWalker
{
    /// <summary>The extensions PROTOCOL.md lists as images.</summary>
    public static IReadOnlySet<string> ImageExtensions { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        ".jpg", ".jpeg", ".png", ".bmp", ".ppm", ".pgm", ".tif", ".tiff", ".webp", ".jfif", ".gif", ".tga",
    };

    /// <summary>The sets under <paramref name="root"/>, in ordinal order of their names.</summary>
    /// <exception cref="DirectoryNotFoundException">The root does not exist.</exception>
    public static IReadOnlyList<EvaluationSet> FindSets(string root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var rootInfo = new DirectoryInfo(root);
        if (!rootInfo.Exists) throw new DirectoryNotFoundException($"{root}: folder not found");
        var sets = new List<EvaluationSet>();
        Walk(rootInfo, rootInfo.FullName, sets);
        return sets.OrderBy(s => s.Name, StringComparer.Ordinal).ToList();
    }

    private static void Walk(DirectoryInfo folder, string root, List<EvaluationSet> sets)
    {
        var real = new DirectoryInfo(Path.Combine(folder.FullName, "0_real"));
        var fake = new DirectoryInfo(Path.Combine(folder.FullName, "1_fake"));
        if (real.Exists || fake.Exists)
        {
            var images = Images(real, isFake: false).Concat(Images(fake, isFake: true)).ToList();
            string name = Path.GetRelativePath(root, folder.FullName).Replace(Path.DirectorySeparatorChar, '/');
            if (name == ".") name = folder.Name; // the root itself is the set
            sets.Add(new EvaluationSet(name, folder.FullName, images));
            return; // a set's label folders are not searched for further sets
        }
        foreach (var child in folder.EnumerateDirectories().OrderBy(d => d.Name, StringComparer.Ordinal))
            Walk(child, root, sets);
    }

    private static IEnumerable<LabeledImage> Images(DirectoryInfo folder, bool isFake) =>
        !folder.Exists ? [] : folder.EnumerateFiles()
            .Where(f => ImageExtensions.Contains(f.Extension))
            .OrderBy(f => f.Name, StringComparer.Ordinal)
            .Select(f => new LabeledImage(f.FullName, isFake));
}
