namespace FastLaDeDa.Training.Training;

/// <summary>How an image label trains a patch-logit network.</summary>
internal enum ImageLossKind
{
    /// <summary>BCE-with-logits on the mean of the patch logits (the image logit): LaDeDa's training, and Tiny "without a teacher".</summary>
    PooledBce,

    /// <summary>BCE-with-logits of every patch logit against the image label, averaged (PatchFor-style).</summary>
    PatchBce,
}
