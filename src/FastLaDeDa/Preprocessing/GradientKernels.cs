namespace FastLaDeDa.Preprocessing;

/// <summary>The fixed 3×3 filters of the directional-gradient preprocessing, rows top to bottom.</summary>
internal static class GradientKernels
{
    /// <summary>
    /// The 9 taps of <paramref name="kind"/>'s filter, row-major, applied as a cross-correlation
    /// (PyTorch's conv2d): <c>out[y,x] = Σ k[u,v] · in[y+u-1, x+v-1]</c>.
    /// </summary>
    public static ReadOnlySpan<float> Taps(PreprocessKind kind) => kind switch
    {
        PreprocessKind.RightDiag => [-2, -1, 0, -1, 0, 1, 0, 1, 2],
        PreprocessKind.LeftDiag => [0, 1, 2, -1, 0, 1, -2, -1, 0],
        PreprocessKind.XGrad => [-1, 0, 1, -2, 0, 2, -1, 0, 1],
        PreprocessKind.YGrad => [-1, -2, -1, 0, 0, 0, 1, 2, 1],
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a gradient filter"),
    };

    /// <summary>True for the four gradient filters.</summary>
    public static bool IsGradient(PreprocessKind kind) =>
        kind is PreprocessKind.RightDiag or PreprocessKind.LeftDiag or PreprocessKind.XGrad or PreprocessKind.YGrad;
}
