using FastLaDeDa.Preprocessing;
using FastLaDeDa.Training.Data;
using FastLaDeDa.Training.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace FastLaDeDa.Training.Distillation;

/// <summary>
/// Cuts the student's inputs for every teacher cell of a crop, in the teacher map's row-major order,
/// and runs the student on such inputs (<see cref="StudentPatchMode"/>).
/// </summary>
internal static class StudentPatches
{
    /// <summary>
    /// The student inputs [M·M, 3, k, k] of one crop. <paramref name="normalizedImage"/> is the whole
    /// normalized image [3, H, W] (Exact mode filters it with <paramref name="studentPreprocess"/> and cuts
    /// R×R windows; Official mode cuts (R+1)×(R+1) raw windows).
    /// </summary>
    public static Tensor Cut(Tensor normalizedImage, CropWindow crop, DistillationGeometry geometry, StudentPatchMode mode, PreprocessKind studentPreprocess)
    {
        ArgumentNullException.ThrowIfNull(normalizedImage);
        if (crop.Flip) throw new ArgumentException("distillation crops are never flipped", nameof(crop));
        geometry.Check(mode);
        using var scope = NewDisposeScope();
        int m = geometry.MapSize, s = geometry.Stride, k = geometry.StudentPatchSize(mode);
        Tensor source = mode == StudentPatchMode.Exact
            ? TorchPreprocessing.Apply(studentPreprocess, normalizedImage.unsqueeze(0)).squeeze(0)
            : normalizedImage;
        // The rows/columns spanned by the M windows of side k at stride S from the crop's corner.
        int span = s * (m - 1) + k;
        Tensor region = source.narrow(1, crop.Top, span).narrow(2, crop.Left, span);
        Tensor patches = region.unfold(1, k, s).unfold(2, k, s);          // [3, M, M, k, k]
        return patches.permute(1, 2, 0, 3, 4).reshape(m * m, 3, k, k).contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>The student's logit for each input patch [P]: the mean of its small map, as in MODEL.md step 3.</summary>
    public static Tensor Logits(TinyLaDeDaNet student, Tensor patches, StudentPatchMode mode)
    {
        ArgumentNullException.ThrowIfNull(student);
        ArgumentNullException.ThrowIfNull(patches);
        using var scope = NewDisposeScope();
        Tensor map = mode == StudentPatchMode.Exact ? student.Head(student.Features(patches)) : student.forward(patches);
        return PatchLogitNet.Pool(map).MoveToOuterDisposeScope();
    }
}
