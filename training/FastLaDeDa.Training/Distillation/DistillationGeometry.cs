using FastLaDeDa.Training.Data;

namespace FastLaDeDa.Training.Distillation;

/// <summary>
/// Where the teacher's patch logits sit in the image and which pixels the student sees for each
/// (MODEL.md "Distillation"): LaDeDa's map cell (i, j) on a crop at (top, left) sees rows
/// top + S·i … top + S·i + R − 1 and columns left + S·j … left + S·j + R − 1 of the image (R the
/// receptive field, S = 8 the stride); a 224 crop gives a 27×27 map.
/// </summary>
/// <param name="ReceptiveField">The teacher's receptive field R (9 for LaDeDa9).</param>
/// <param name="Stride">The teacher's stride S (8).</param>
/// <param name="Crop">The teacher's crop side C (224).</param>
internal readonly record struct DistillationGeometry(int ReceptiveField, int Stride, int Crop)
{
    /// <summary>Teacher map side: (C − R) / S + 1.</summary>
    public int MapSize => (Crop - ReceptiveField) / Stride + 1;

    /// <summary>Patches (teacher logits) per crop.</summary>
    public int PatchesPerCrop => MapSize * MapSize;

    /// <summary>Side of the student's input patch: R for <see cref="StudentPatchMode.Exact"/> (already filtered), R + 1 for <see cref="StudentPatchMode.Official"/> (raw).</summary>
    public int StudentPatchSize(StudentPatchMode mode) => mode == StudentPatchMode.Exact ? ReceptiveField : ReceptiveField + 1;

    /// <summary>The image rows (or columns) teacher cell <paramref name="i"/> sees for a crop offset: [offset + S·i, offset + S·i + R).</summary>
    public (int Start, int Length) TeacherWindow(int offset, int i) => (offset + Stride * i, ReceptiveField);

    /// <summary>
    /// The raw image rows (or columns) the student's input for cell <paramref name="i"/> depends on:
    /// Exact: [offset + S·i − 1, offset + S·i + R + 1) (the 3×3 filter reaches one pixel out; outside the
    /// image it is zero padding); Official: [offset + S·i, offset + S·i + R + 1), within the crop.
    /// </summary>
    public (int Start, int Length) StudentRawWindow(int offset, int i, StudentPatchMode mode) =>
        mode == StudentPatchMode.Exact ? (offset + Stride * i - 1, ReceptiveField + 2) : (offset + Stride * i, ReceptiveField + 1);

    /// <summary>Throws unless the geometry works for <paramref name="mode"/> (the official patches need one pixel beyond the last teacher window inside the crop).</summary>
    public void Check(StudentPatchMode mode)
    {
        if (Crop < ReceptiveField) throw new ArgumentException($"--crop {Crop} is smaller than the teacher's receptive field {ReceptiveField}");
        if (mode == StudentPatchMode.Official && Stride * (MapSize - 1) + ReceptiveField + 1 > Crop)
            throw new ArgumentException($"--crop {Crop}: the last teacher window ends at the crop's edge, leaving no room for the official patch's extra pixel; use e.g. 224");
    }

    /// <summary>The geometry of <paramref name="crop"/> for a teacher.</summary>
    public static DistillationGeometry For(Models.PatchLogitNet teacher, int crop)
    {
        ArgumentNullException.ThrowIfNull(teacher);
        return new DistillationGeometry(teacher.ReceptiveField, teacher.Stride, crop);
    }

    /// <summary>The teacher's crop for one image in one pass: uniformly placed, never flipped (MODEL.md step 2).</summary>
    public CropWindow RandomCrop(SeededRandom random, int imageWidth, int imageHeight) =>
        CropWindow.Random(random, imageWidth, imageHeight, Crop, allowFlip: false);
}
