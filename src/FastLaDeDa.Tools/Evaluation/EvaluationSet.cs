namespace FastLaDeDa.Evaluation;

/// <summary>A folder that directly contains <c>0_real</c> and/or <c>1_fake</c> (PROTOCOL.md), with its images.</summary>
/// <param name="Name">The folder's path relative to the evaluation root, with '/' separators (the folder's own name when it is the root).</param>
/// <param name="Directory">The folder.</param>
/// <param name="Images">Its images, reals then fakes, each in ordinal file-name order.</param>
internal sealed record EvaluationSet(string Name, string Directory, IReadOnlyList<LabeledImage> Images)
{
    /// <summary>Number of real images.</summary>
    public int RealCount => Images.Count(i => !i.IsFake);

    /// <summary>Number of fake images.</summary>
    public int FakeCount => Images.Count(i => i.IsFake);
}
