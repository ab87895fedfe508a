namespace FastLaDeDa.Preprocessing;

/// <summary>The model-specific filter applied to the normalized image (MODEL.md, "Preprocessing operators").</summary>
public enum PreprocessKind
{
    /// <summary>Identity.</summary>
    Raw,
    /// <summary>Neighbouring pixel relationships: each pixel minus the top-left pixel of its 2×2 block.</summary>
    Npr,
    /// <summary>NPR multiplied by 2/3 (the official ForenSynth LaDeDa checkpoint).</summary>
    NprTwoThirds,
    /// <summary>3×3 diagonal gradient [[-2,-1,0],[-1,0,1],[0,1,2]], zero padding (Tiny-LaDeDa's default).</summary>
    RightDiag,
    /// <summary>3×3 anti-diagonal gradient [[0,1,2],[-1,0,1],[-2,-1,0]], zero padding.</summary>
    LeftDiag,
    /// <summary>Horizontal Sobel [[-1,0,1],[-2,0,2],[-1,0,1]], zero padding.</summary>
    XGrad,
    /// <summary>Vertical Sobel [[-1,-2,-1],[0,0,0],[1,2,1]], zero padding.</summary>
    YGrad,
}
