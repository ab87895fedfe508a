namespace FastLaDeDa.Evaluation;

/// <summary>An image file and its ground truth.</summary>
/// <param name="Path">The file.</param>
/// <param name="IsFake">True for <c>1_fake</c> (the positive class), false for <c>0_real</c>.</param>
internal sealed record LabeledImage(string Path, bool IsFake);
