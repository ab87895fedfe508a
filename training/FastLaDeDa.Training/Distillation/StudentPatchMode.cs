namespace FastLaDeDa.Training.Distillation;

/// <summary>
/// How the student's input for one teacher cell is cut. Teacher cell (i, j) of a crop at (top, left)
/// sees the R×R window of image rows top+8i … top+8i+R−1 (columns likewise); the student's map over
/// an R×R filtered window is 3×3 cells for R = 9, covering exactly that window.
/// </summary>
internal enum StudentPatchMode
{
    /// <summary>
    /// (Default.) The student's fixed filter is applied to the whole 256×256 image first, exactly as
    /// at inference (zero padding only at the image border), and the R×R filtered window is the
    /// student's input — what the filter makes of the (R+2)×(R+2) raw window one pixel around the
    /// teacher's. Where that pixel falls outside the crop it is taken from the image around the crop;
    /// where it falls outside the image (a crop touching the border) it is the zero padding inference
    /// uses. Training and inference then see identical filtered values for every cell.
    /// </summary>
    Exact,

    /// <summary>
    /// The official code: the (R+1)×(R+1) raw normalized window at rows 8i … 8i+R of the crop (one extra
    /// pixel below and to the right), filtered by the student itself with zero padding; its map covers
    /// the teacher's window, but the first filtered row and column see padding instead of the
    /// neighbouring pixel.
    /// </summary>
    Official,
}
