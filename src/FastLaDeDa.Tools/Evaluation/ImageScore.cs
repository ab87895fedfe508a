namespace FastLaDeDa.Evaluation;

/// <summary>The outcome for one image: its logit, or why it could not be scored.</summary>
/// <param name="Set">The set's name.</param>
/// <param name="Image">The file and its label.</param>
/// <param name="Logit">The pooled logit, or null when the image failed.</param>
/// <param name="Error">The one-line error (<c>FILE: cause</c>) when it failed.</param>
internal sealed record ImageScore(string Set, LabeledImage Image, double? Logit, string? Error);
