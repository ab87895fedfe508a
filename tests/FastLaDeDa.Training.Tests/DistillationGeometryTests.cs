using FastLaDeDa.Preprocessing;
using FastLaDeDa.Training.Data;
using FastLaDeDa.Training.Distillation;
using FastLaDeDa.Training.Models;
using FastLaDeDa.Training.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace FastLaDeDa.Training.Tests;

/// <summary>
/// Which pixels a teacher logit and the student's patch cover. Teacher cell (i, j) sees crop rows
/// 8i … 8i+8 and columns 8j … 8j+8. The student's 3×3 filter needs one more pixel on each side; in the
/// default (exact) mode that pixel comes from the image around the crop, and from the zero padding
/// inference uses where the crop touches the image border, so the student's patch logit equals the
/// mean of its own full-image map over the teacher's window.
/// </summary>
public class DistillationGeometryTests
{
    private static readonly DistillationGeometry Geometry224 = new(9, 8, 224);

    private static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    [Fact]
    public void A_224_crop_has_27x27_teacher_cells_and_the_windows_of_MODEL_md()
    {
        Assert.Equal(27, Geometry224.MapSize);
        Assert.Equal(729, Geometry224.PatchesPerCrop);
        Assert.Equal((8 * 5, 9), Geometry224.TeacherWindow(0, 5));
        Assert.Equal((16 + 8 * 26, 9), Geometry224.TeacherWindow(16, 26));
        // Exact: 11 raw pixels (one each side), starting one before the teacher's window.
        Assert.Equal((8 * 3 - 1, 11), Geometry224.StudentRawWindow(0, 3, StudentPatchMode.Exact));
        Assert.Equal((-1, 11), Geometry224.StudentRawWindow(0, 0, StudentPatchMode.Exact)); // row −1: the image's zero padding
        // Official: 10 raw pixels, the extra one below/right.
        Assert.Equal((8 * 3, 10), Geometry224.StudentRawWindow(0, 3, StudentPatchMode.Official));
        Assert.Equal(9, Geometry224.StudentPatchSize(StudentPatchMode.Exact));
        Assert.Equal(10, Geometry224.StudentPatchSize(StudentPatchMode.Official));
        Assert.Throws<ArgumentException>(() => new DistillationGeometry(9, 8, 217).Check(StudentPatchMode.Official)); // last window ends at the edge
        new DistillationGeometry(9, 8, 217).Check(StudentPatchMode.Exact);
    }

    /// <summary>The teacher's map cell (i, j) on a crop equals LaDeDa run on that cell's 9×9 window alone (one logit): the map's order is the patches' order.</summary>
    [Fact]
    public void Teacher_cell_equals_the_teacher_on_its_9x9_window()
    {
        torch.manual_seed(21);
        using var teacher = TorchTestNets.Randomize(new LaDeDaNet(), seed: 22);
        var g = new DistillationGeometry(9, 8, 64);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor crop = TorchPreprocessing.Normalize(TorchTestNets.RandomPixels(1, 64, 64, seed: 23));
        Tensor map = teacher.forward(crop);
        Assert.Equal([1L, 1, g.MapSize, g.MapSize], map.shape);
        foreach (var (i, j) in new[] { (0, 0), (2, 5), (6, 6) })
        {
            var (top, rows) = g.TeacherWindow(0, i);
            var (left, cols) = g.TeacherWindow(0, j);
            float alone = teacher.forward(crop.narrow(2, top, rows).narrow(3, left, cols)).item<float>();
            Assert.Equal(map[0, 0, i, j].item<float>(), alone, 4);
        }
    }

    /// <summary>
    /// Exact mode: the student's logit on the patch cut for cell (i, j) equals the mean of the 3×3 cells
    /// of its full-image map over the teacher's window — for a crop at the image corner (the first
    /// row's and column's outside pixel is the zero padding inference uses) and for an inner crop
    /// (taken from the image around the crop).
    /// </summary>
    [Theory]
    [InlineData(0, 0)]
    [InlineData(16, 32)]
    public void Exact_student_patch_logit_equals_its_full_image_map_over_the_teacher_window(int top, int left)
    {
        torch.manual_seed(31);
        using var student = TorchTestNets.Randomize(new TinyLaDeDaNet(PreprocessKind.RightDiag), seed: 32);
        var g = new DistillationGeometry(9, 8, 64);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor image = TorchPreprocessing.Normalize(TorchTestNets.RandomPixels(1, 128, 128, seed: 33)).squeeze(0);
        Tensor patches = StudentPatches.Cut(image, new CropWindow(top, left, 64, false), g, StudentPatchMode.Exact, student.Preprocess);
        Assert.Equal([49L, 3, 9, 9], patches.shape);
        float[] logits = StudentPatches.Logits(student, patches, StudentPatchMode.Exact).data<float>().ToArray();
        Tensor fullMap = student.forward(image.unsqueeze(0)); // stride 2: cell r covers filtered rows 2r … 2r+4
        foreach (var (i, j) in new[] { (0, 0), (0, 6), (3, 2), (6, 6) })
        {
            int r = (top + 8 * i) / 2, c = (left + 8 * j) / 2;
            float expected = fullMap[0, 0].narrow(0, r, 3).narrow(1, c, 3).mean().item<float>();
            Assert.Equal(expected, logits[i * g.MapSize + j], 4);
        }
    }

    /// <summary>Exact mode at an odd offset: the patch is the filtered full image's window, whatever the parity.</summary>
    [Fact]
    public void Exact_patches_are_windows_of_the_filtered_full_image()
    {
        var g = new DistillationGeometry(9, 8, 32);
        using var scope = NewDisposeScope();
        Tensor image = TorchPreprocessing.Normalize(TorchTestNets.RandomPixels(1, 48, 48, seed: 41)).squeeze(0);
        Tensor patches = StudentPatches.Cut(image, new CropWindow(3, 5, 32, false), g, StudentPatchMode.Exact, PreprocessKind.RightDiag);
        Tensor filtered = TorchPreprocessing.Apply(PreprocessKind.RightDiag, image.unsqueeze(0)).squeeze(0);
        Assert.True(Same(patches[1 * g.MapSize + 2], filtered.narrow(1, 3 + 8, 9).narrow(2, 5 + 16, 9)));
    }

    /// <summary>
    /// Exact mode reaches exactly one raw pixel beyond the teacher's window: changing the row just above
    /// an inner crop changes its first-row patches, the row above that changes nothing.
    /// </summary>
    [Fact]
    public void Exact_patches_depend_on_one_pixel_around_the_crop()
    {
        var g = new DistillationGeometry(9, 8, 32);
        using var scope = NewDisposeScope();
        Tensor pixels = TorchTestNets.RandomPixels(1, 48, 48, seed: 51);
        var window = new CropWindow(8, 8, 32, false);
        Tensor Cut(Tensor p) => StudentPatches.Cut(TorchPreprocessing.Normalize(p).squeeze(0), window, g, StudentPatchMode.Exact, PreprocessKind.RightDiag);
        Tensor baseline = Cut(pixels);
        Tensor rowAbove = pixels.clone();
        rowAbove[0, 7].fill_(255);
        Tensor twoAbove = pixels.clone();
        twoAbove[0, 6].fill_(255);
        Assert.False(Same(Cut(rowAbove).narrow(0, 0, g.MapSize), baseline.narrow(0, 0, g.MapSize)));
        Assert.True(Same(Cut(rowAbove).narrow(0, g.MapSize, baseline.shape[0] - g.MapSize), baseline.narrow(0, g.MapSize, baseline.shape[0] - g.MapSize)));
        Assert.True(Same(Cut(twoAbove), baseline));
    }

    /// <summary>
    /// Official mode: the patch is the raw normalized crop at rows 8i … 8i+9 (the extra pixel below and
    /// to the right) and the student filters it with its own zero padding — so its first filtered row
    /// differs from what the student computes at inference, the inner rows agree.
    /// </summary>
    [Fact]
    public void Official_patches_are_raw_10x10_windows_filtered_with_their_own_padding()
    {
        var g = new DistillationGeometry(9, 8, 32);
        using var scope = NewDisposeScope();
        Tensor image = TorchPreprocessing.Normalize(TorchTestNets.RandomPixels(1, 48, 48, seed: 61)).squeeze(0);
        var window = new CropWindow(4, 6, 32, false);
        Tensor patches = StudentPatches.Cut(image, window, g, StudentPatchMode.Official, PreprocessKind.RightDiag);
        Assert.Equal([(long)g.PatchesPerCrop, 3, 10, 10], patches.shape);
        Tensor patch = patches[2 * g.MapSize + 1];
        Assert.True(Same(patch, image.narrow(1, 4 + 16, 10).narrow(2, 6 + 8, 10)));
        Tensor ownFilter = TorchPreprocessing.Apply(PreprocessKind.RightDiag, patch.unsqueeze(0)).squeeze(0);
        Tensor inference = TorchPreprocessing.Apply(PreprocessKind.RightDiag, image.unsqueeze(0)).squeeze(0).narrow(1, 4 + 16, 10).narrow(2, 6 + 8, 10);
        Assert.True(ownFilter.narrow(1, 1, 8).narrow(2, 1, 8).allclose(inference.narrow(1, 1, 8).narrow(2, 1, 8), rtol: 1e-5, atol: 1e-5));
        Assert.False(ownFilter.narrow(1, 0, 1).allclose(inference.narrow(1, 0, 1), rtol: 1e-3, atol: 1e-3));
    }
}
