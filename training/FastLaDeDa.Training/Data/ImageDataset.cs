using System.Collections.Concurrent;
using FastLaDeDa.Errors;
using FastLaDeDa.Evaluation;

namespace FastLaDeDa.Training.Data;

/// <summary>
/// A training or validation split in the WildRF layout (<c>FOLDER/0_real</c>, <c>FOLDER/1_fake</c>),
/// decoded once with the library's decoder and kept in memory as uint8 RGB at the input size
/// (256×256; the shared train/val splits are already that size, anything else is resized with the
/// library's Pillow-exact BILINEAR, as at inference).
/// </summary>
internal sealed class ImageDataset
{
    private readonly IReadOnlyList<int>[] _indicesByClass; // [0]: reals, [1]: fakes

    private ImageDataset(string folder, IReadOnlyList<DatasetImage> images)
    {
        Folder = folder;
        Images = images;
        _indicesByClass = [Indices(images, isFake: false), Indices(images, isFake: true)];
        Summary = DatasetSummary.Of(images);
    }

    /// <summary>The split's folder.</summary>
    public string Folder { get; }

    /// <summary>The images: reals then fakes, each in ordinal file-name order.</summary>
    public IReadOnlyList<DatasetImage> Images { get; }

    /// <summary>Counts per class and source, and the file-list hash.</summary>
    public DatasetSummary Summary { get; }

    /// <summary>Number of images.</summary>
    public int Count => Images.Count;

    /// <summary>
    /// Loads <paramref name="folder"/>. Throws <see cref="DatasetException"/> when the folder is
    /// missing, holds no images, holds only one class (unless <paramref name="allowOneClass"/>), or
    /// has images that cannot be decoded (all of them named).
    /// </summary>
    /// <param name="folder">The split folder holding <c>0_real</c> and <c>1_fake</c>.</param>
    /// <param name="size">The side the images are resized to (256, the official input size).</param>
    /// <param name="allowOneClass">Accept a split with one class (an evaluation-only set may).</param>
    public static ImageDataset Load(string folder, int size = ImageTensors.InputSize, bool allowOneClass = false)
    {
        ArgumentNullException.ThrowIfNull(folder);
        if (!Directory.Exists(folder)) throw new DatasetException($"{folder}: folder not found");
        var real = ImageFiles(Path.Combine(folder, "0_real"));
        var fake = ImageFiles(Path.Combine(folder, "1_fake"));
        if (real.Count == 0 && fake.Count == 0)
            throw new DatasetException($"{folder}: no images in 0_real/ or 1_fake/ (expected the WildRF layout FOLDER/0_real, FOLDER/1_fake with .png/.jpg/... files)");
        if (!allowOneClass && (real.Count == 0 || fake.Count == 0))
            throw new DatasetException(real.Count == 0
                ? $"{folder}: {fake.Count} fake images and no real ones in 0_real/: training needs both classes"
                : $"{folder}: {real.Count} real images and no fake ones in 1_fake/: training needs both classes");

        var files = real.Select(f => new LabeledImage(f.FullName, false)).Concat(fake.Select(f => new LabeledImage(f.FullName, true))).ToList();
        return new ImageDataset(Path.GetFullPath(folder), Decode(folder, files, size));
    }

    /// <summary>
    /// Decodes labelled files (e.g. an evaluation set found by <see cref="DatasetWalker"/>) at the input
    /// size; one class is allowed. Unreadable files are a <see cref="DatasetException"/> naming each.
    /// </summary>
    public static ImageDataset FromFiles(string name, IReadOnlyList<LabeledImage> files, int size = ImageTensors.InputSize)
    {
        ArgumentNullException.ThrowIfNull(files);
        if (files.Count == 0) throw new DatasetException($"{name}: no images");
        return new ImageDataset(name, Decode(name, files, size));
    }

    private static DatasetImage[] Decode(string folder, IReadOnlyList<LabeledImage> files, int size)
    {
        var images = new DatasetImage[files.Count];
        var failures = new ConcurrentBag<(int Index, string Message)>();
        Parallel.For(0, files.Count, i =>
        {
            var (path, isFake) = files[i];
            string fileName = Path.GetFileName(path);
            try
            {
                var image = ImageTensors.LoadResized(path, size);
                images[i] = new DatasetImage(path, $"{(isFake ? "1_fake" : "0_real")}/{fileName}", DatasetImage.SourceOf(fileName), isFake, image);
            }
            catch (Exception ex) when (ex is FastLaDeDaException or IOException or UnauthorizedAccessException)
            {
                // Decoder errors already read "FILE: cause"; I/O errors may not name the file.
                failures.Add((i, ex is FastLaDeDaException ? ex.Message : $"{path}: {ex.Message}"));
            }
        });
        if (!failures.IsEmpty)
        {
            var sorted = failures.OrderBy(f => f.Index).Select(f => f.Message).ToList();
            throw new DatasetException($"{folder}: {sorted.Count} image(s) cannot be read:" + Environment.NewLine + string.Join(Environment.NewLine, sorted.Select(m => "  " + m)));
        }
        return images;
    }

    /// <summary>A dataset made of already decoded images (tests, subsets). Both classes are required unless <paramref name="allowOneClass"/>.</summary>
    public static ImageDataset FromImages(string name, IReadOnlyList<DatasetImage> images, bool allowOneClass = false)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.Count == 0) throw new DatasetException($"{name}: no images");
        if (!allowOneClass && (images.All(i => i.IsFake) || images.All(i => !i.IsFake)))
            throw new DatasetException($"{name}: only {(images[0].IsFake ? "fake" : "real")} images: training needs both classes");
        return new ImageDataset(name, images);
    }

    /// <summary>
    /// The images of several datasets as one (e.g. train/ plus staged extra folders), in the given
    /// order. Two images with the same label folder and file name are an error: the file-list hash
    /// and the sources would no longer say what was trained on.
    /// </summary>
    public static ImageDataset Merge(string name, IReadOnlyList<ImageDataset> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var images = parts.SelectMany(p => p.Images).ToList();
        if (images.GroupBy(i => i.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new DatasetException($"{name}: {twice.Key} is in more than one folder ({string.Join(", ", twice.Select(i => i.Path))})");
        return FromImages(name, images);
    }

    /// <summary>
    /// Splits off whole sources: the images of <paramref name="sources"/> become the validation set,
    /// the rest the training set (leave-source-out validation: no source is on both sides). Every
    /// named source must exist, and both sides need both classes.
    /// </summary>
    public (ImageDataset Train, ImageDataset Validation) HoldOut(IReadOnlySet<string> sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var known = Images.Select(i => i.Source).ToHashSet(StringComparer.Ordinal);
        if (sources.FirstOrDefault(s => !known.Contains(s)) is { } unknown)
            throw new DatasetException($"--holdout: no source '{unknown}' in the data (sources: {string.Join(", ", known.Order(StringComparer.Ordinal))})");
        var held = Images.Where(i => sources.Contains(i.Source)).ToList();
        var rest = Images.Where(i => !sources.Contains(i.Source)).ToList();
        return (FromImages($"{Folder} without the held-out sources", rest), FromImages("held-out sources " + string.Join(",", sources.Order(StringComparer.Ordinal)), held));
    }

    /// <summary>
    /// At most <paramref name="maxPerClass"/> images of each class, picked evenly spaced through the
    /// file order (so every source keeps a share); the dataset itself when it is small enough.
    /// </summary>
    public ImageDataset Subset(int maxPerClass)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxPerClass);
        static IEnumerable<DatasetImage> Pick(List<DatasetImage> items, int n) =>
            items.Count <= n ? items : Enumerable.Range(0, n).Select(k => items[(int)((long)k * items.Count / n)]);
        var real = Images.Where(i => !i.IsFake).ToList();
        var fake = Images.Where(i => i.IsFake).ToList();
        if (real.Count <= maxPerClass && fake.Count <= maxPerClass) return this;
        return new ImageDataset(Folder, [.. Pick(real, maxPerClass), .. Pick(fake, maxPerClass)]);
    }

    /// <summary>The indices of the real (<paramref name="isFake"/> false) or fake images, in <see cref="Images"/> order (computed once: batches look them up per sample).</summary>
    public IReadOnlyList<int> IndicesOf(bool isFake) => _indicesByClass[isFake ? 1 : 0];

    private static IReadOnlyList<int> Indices(IReadOnlyList<DatasetImage> images, bool isFake) =>
        Array.AsReadOnly(Enumerable.Range(0, images.Count).Where(i => images[i].IsFake == isFake).ToArray());

    private static List<FileInfo> ImageFiles(string folder) =>
        !Directory.Exists(folder) ? [] : new DirectoryInfo(folder).EnumerateFiles()
            .Where(f => DatasetWalker.ImageExtensions.Contains(f.Extension))
            .OrderBy(f => f.Name, StringComparer.Ordinal)
            .ToList();
}
