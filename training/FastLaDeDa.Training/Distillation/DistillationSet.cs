using FastLaDeDa.Preprocessing;
using FastLaDeDa.Training.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace FastLaDeDa.Training.Distillation;

/// <summary>
/// The distillation pairs of a split, in memory: the student's input for every teacher cell of every
/// (pass, image) crop [P, 3, k, k] and the teacher's logit for it [P] (P = passes × images × M²;
/// about 1 GB of float32 for one pass over the 1,407 training images at crop 224).
/// </summary>
internal sealed class DistillationSet : IDisposable
{
    private DistillationSet(Tensor inputs, Tensor targets, int crops, int patchesPerCrop)
    {
        Inputs = inputs;
        Targets = targets;
        Crops = crops;
        PatchesPerCrop = patchesPerCrop;
    }

    /// <summary>Student inputs [P, 3, k, k].</summary>
    public Tensor Inputs { get; }

    /// <summary>Teacher logits [P].</summary>
    public Tensor Targets { get; }

    /// <summary>Number of crops.</summary>
    public int Crops { get; }

    /// <summary>Patches per crop (M²).</summary>
    public int PatchesPerCrop { get; }

    /// <summary>Number of patches.</summary>
    public long Count => Targets.shape[0];

    /// <summary>Pairs the teacher's <paramref name="maps"/> with the student inputs rebuilt from the same crops.</summary>
    public static DistillationSet Build(TeacherMaps maps, ImageDataset data, DistillationGeometry geometry, StudentPatchMode mode,
                                        PreprocessKind studentPreprocess, AugmentationOptions augmentation, long seed, bool center)
    {
        ArgumentNullException.ThrowIfNull(maps);
        ArgumentNullException.ThrowIfNull(data);
        int perCrop = geometry.PatchesPerCrop, k = geometry.StudentPatchSize(mode);
        if (maps.PatchesPerCrop != perCrop || maps.Count % data.Count != 0) throw new ArgumentException("teacher maps do not match the data and geometry", nameof(maps));
        long total = (long)maps.Count * perCrop;
        Tensor inputs = empty([total, 3, k, k]);
        const int chunk = 16;
        for (int start = 0; start < maps.Count; start += chunk)
        {
            using var scope = NewDisposeScope();
            int count = Math.Min(chunk, maps.Count - start);
            var drawn = new (Imaging.Rgb24Image Image, CropWindow Window)[count];
            Parallel.For(0, count, j =>
            {
                int index = start + j;
                drawn[j] = TeacherCropSampler.Draw(data, index % data.Count, index / data.Count, geometry, augmentation, seed, center);
            });
            for (int j = 0; j < count; j++)
            {
                var (image, window) = drawn[j];
                Tensor normalized = ImageTensors.ToNormalizedBatch([image]).squeeze(0);
                Tensor patches = StudentPatches.Cut(normalized, window, geometry, mode, studentPreprocess);
                inputs.narrow(0, (long)(start + j) * perCrop, perCrop).copy_(patches);
            }
        }
        return new DistillationSet(inputs, tensor(maps.Values), maps.Count, perCrop);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Inputs.Dispose();
        Targets.Dispose();
    }
}
