using FastLaDeDa.Detection;
using FastLaDeDa.Training.Data;
using FastLaDeDa.Weights;

namespace FastLaDeDa.Training.Training;

/// <summary>
/// The validation images scored with the exported weights by the inference library — whole
/// images at the detector's input size, mean-pooled, F16 weights computed as the engine computes
/// them — which is what <c>detect</c> scores. The threshold and temperature are fitted on these
/// logits, not on the trainer's validation crops, so the exported <c>threshold</c> holds for
/// <c>detect</c> and equals what <c>fastladeda calibrate</c> on the same folder chooses.
/// </summary>
internal static class EnginePathScores
{
    /// <summary>What the metadata's <c>threshold_rule</c> adds after "best balanced accuracy on the validation set".</summary>
    public const string Rule = ", whole images scored as detect scores them with the exported weights";

    /// <summary>One pooled logit per validation image, in the dataset's order.</summary>
    /// <param name="weights">The exported weights, as they will be written (F16 tensors stay F16).</param>
    /// <param name="validation">The images (decoded and resized to the input size as <c>detect</c> does).</param>
    public static double[] Score(StateDict weights, ImageDataset validation)
    {
        ArgumentNullException.ThrowIfNull(validation);
        using var detector = Detector.FromStateDict(weights);
        return detector.ScoreBatch(validation.Images.Select(i => i.Image).ToArray()).Select(r => r.Logit).ToArray();
    }
}
