namespace FastLaDeDa.Training.Data;

/// <summary>The purposes a run draws random numbers for; each is the first key of its <see cref="SeededRandom"/> stream.</summary>
internal static class RandomStreams
{
    /// <summary>Which images make up each batch of an epoch (keys: epoch, class, cycle).</summary>
    public const long Sampler = 1;

    /// <summary>One training sample's crop, flip and augmentation (keys: epoch, batch, position).</summary>
    public const long Sample = 2;

    /// <summary>The teacher's crop and augmentation of one image for distillation (keys: pass, image).</summary>
    public const long TeacherCrop = 3;

    /// <summary>The order of the distillation patches in an epoch (keys: epoch).</summary>
    public const long PatchOrder = 4;

    /// <summary>The network's initial weights (torch's generator is seeded from this stream).</summary>
    public const long Initialization = 5;

    /// <summary>Whether a training sample's fake is replaced by a synthetic one, which real, and its taps (keys: epoch, batch, position).</summary>
    public const long SyntheticFake = 6;
}
