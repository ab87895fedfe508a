using System.Text;
using FastLaDeDa.Cli.Reporting;
using FastLaDeDa.Training.Data;
using FastLaDeDa.Training.Models;
using FastLaDeDa.Training.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace FastLaDeDa.Training.Distillation;

/// <summary>
/// The teacher's patch-logit maps for every (pass, image) of a split — M×M floats each, row-major,
/// in the order pass-major then image — extracted once (LaDeDa in eval mode, batches of crops) and
/// cached in a small file keyed by everything they depend on (teacher file hash, data file-list hash,
/// seed, crop, passes, augmentation, centre/random), so a resumed or repeated run skips the extraction.
/// </summary>
internal sealed class TeacherMaps
{
    private const string Magic = "FastLaDeDa.Training teacher maps v1";

    private TeacherMaps(string key, int count, int patchesPerCrop, float[] values)
    {
        Key = key;
        Count = count;
        PatchesPerCrop = patchesPerCrop;
        Values = values;
    }

    /// <summary>What the maps depend on.</summary>
    public string Key { get; }

    /// <summary>Number of crops (passes × images).</summary>
    public int Count { get; }

    /// <summary>M·M logits per crop.</summary>
    public int PatchesPerCrop { get; }

    /// <summary>All logits, crop after crop.</summary>
    public float[] Values { get; }

    /// <summary>The cache key for these settings.</summary>
    public static string MakeKey(string teacherSha256, ImageDataset data, DistillationGeometry geometry, int passes, AugmentationOptions augmentation, long seed, bool center) =>
        $"teacher={teacherSha256};data={data.Summary.FileListSha256};n={data.Count};rf={geometry.ReceptiveField};crop={geometry.Crop};" +
        $"passes={passes};center={center};seed={(center ? 0 : seed)};augmentation={(center ? "none" : augmentation.ToString())}";

    /// <summary>The cached maps at <paramref name="cachePath"/> when its key matches, else extracted (and cached there).</summary>
    public static TeacherMaps LoadOrExtract(string cachePath, string key, LaDeDaNet teacher, ImageDataset data, DistillationGeometry geometry,
                                            int passes, AugmentationOptions augmentation, long seed, bool center, TextWriter log, int batchSize = 8)
    {
        ArgumentNullException.ThrowIfNull(log);
        if (TryLoad(cachePath, key) is { } cached)
        {
            log.WriteLine($"teacher maps: {cached.Count} crops from {cachePath} (cached)");
            return cached;
        }
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var maps = Extract(teacher, data, geometry, passes, augmentation, seed, center, key, batchSize);
        maps.Save(cachePath);
        log.WriteLine($"teacher maps: {maps.Count} crops of {geometry.MapSize}x{geometry.MapSize} extracted in {clock.Elapsed.TotalSeconds:F0} s " +
                      $"({maps.Count / clock.Elapsed.TotalSeconds:F1} img/s); mean logit {maps.Values.Average():F3}, cached in {cachePath}");
        return maps;
    }

    /// <summary>Runs the teacher over every (pass, image) crop.</summary>
    public static TeacherMaps Extract(LaDeDaNet teacher, ImageDataset data, DistillationGeometry geometry, int passes,
                                      AugmentationOptions augmentation, long seed, bool center, string key, int batchSize = 8)
    {
        ArgumentNullException.ThrowIfNull(teacher);
        ArgumentNullException.ThrowIfNull(data);
        if (geometry.MapSize != teacher.MapSize(geometry.Crop)) throw new ArgumentException("geometry does not match the teacher", nameof(geometry));
        int perCrop = geometry.PatchesPerCrop, total = passes * data.Count, crop = geometry.Crop;
        var values = new float[(long)total * perCrop];
        var bar = new ProgressBar(center ? "teacher maps (val)" : "teacher maps", total);
        teacher.eval();
        using var noGrad = no_grad();
        for (int start = 0; start < total; start += batchSize)
        {
            using var scope = NewDisposeScope();
            int count = Math.Min(batchSize, total - start);
            var pixels = new byte[count * crop * crop * 3];
            Parallel.For(0, count, k =>
            {
                int index = start + k;
                var (image, window) = TeacherCropSampler.Draw(data, index % data.Count, index / data.Count, geometry, augmentation, seed, center);
                ImageCropper.Copy(image, window, pixels.AsSpan(k * crop * crop * 3, crop * crop * 3));
            });
            Tensor maps = teacher.forward(TorchPreprocessing.Normalize(tensor(pixels, [count, crop, crop, 3])));
            maps.flatten().data<float>().CopyTo(values.AsSpan(start * perCrop, count * perCrop));
            bar.Report(start + count, loss: null); // inference: there is no loss to show
        }
        return new TeacherMaps(key, total, perCrop, values);
    }

    /// <summary>Writes the cache file (temporary file, then rename).</summary>
    public void Save(string path)
    {
        string temp = path + ".tmp";
        using (var writer = new BinaryWriter(File.Create(temp), Encoding.UTF8))
        {
            writer.Write(Magic);
            writer.Write(Key);
            writer.Write(Count);
            writer.Write(PatchesPerCrop);
            var bytes = new byte[Values.Length * sizeof(float)];
            Buffer.BlockCopy(Values, 0, bytes, 0, bytes.Length);
            writer.Write(bytes);
        }
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>The cached maps when the file exists, is intact and has this key; null otherwise.</summary>
    public static TeacherMaps? TryLoad(string path, string key)
    {
        if (!File.Exists(path)) return null;
        try
        {
            using var reader = new BinaryReader(File.OpenRead(path), Encoding.UTF8);
            if (reader.ReadString() != Magic || reader.ReadString() != key) return null;
            int count = reader.ReadInt32(), perCrop = reader.ReadInt32();
            var bytes = reader.ReadBytes(checked(count * perCrop * sizeof(float)));
            if (bytes.Length != count * perCrop * sizeof(float)) return null;
            var values = new float[count * perCrop];
            Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
            return new TeacherMaps(key, count, perCrop, values);
        }
        catch (Exception ex) when (ex is EndOfStreamException or IOException)
        {
            return null;
        }
    }
}
