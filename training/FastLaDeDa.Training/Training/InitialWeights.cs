using System.Security.Cryptography;
using FastLaDeDa.Errors;
using FastLaDeDa.Models;
using FastLaDeDa.Preprocessing;
using FastLaDeDa.Training.Export;
using FastLaDeDa.Training.Models;
using FastLaDeDa.Weights;

namespace FastLaDeDa.Training.Training;

/// <summary>
/// <c>--init FILE</c>: starts a run from exported weights (ours or an official checkpoint converted
/// with <c>convert</c>) instead of the random initialisation — fine-tuning, e.g. the shipped model on
/// more data. Only the network's tensors are taken; the optimizer, epoch and schedule start afresh
/// (continuing a run exactly is <c>--resume</c>).
/// </summary>
internal static class InitialWeights
{
    /// <summary>The metadata key recording the SHA-256 of the file a run started from.</summary>
    public const string Sha256Key = "init_weights_sha256";

    /// <summary>
    /// Loads <paramref name="path"/> into <paramref name="net"/>; returns the file's SHA-256. The file's
    /// model (and LaDeDa receptive field) must be the network's, and a preprocessing it names must be
    /// the run's: a mismatch is an error naming the file and both values.
    /// </summary>
    /// <exception cref="WeightsFormatException">Not readable safetensors, or its preprocessing is not the run's.</exception>
    /// <exception cref="ModelMismatchException">Another architecture, or a tensor missing or mis-shaped.</exception>
    public static string Apply(PatchLogitNet net, string path)
    {
        ArgumentNullException.ThrowIfNull(net);
        ArgumentNullException.ThrowIfNull(path);
        StateDict dict = WeightsFile.Load(path);
        var (_, preprocess, _) = ModelMetadata.Parse(dict.Metadata, dict.SourcePath);
        if (preprocess is { } p && p != net.Preprocess)
            throw new WeightsFormatException(dict.SourcePath,
                $"the weights use {p.ToName()} preprocessing, the run {net.Preprocess.ToName()} (pass --preprocess {p.ToName()})");
        TorchStateDict.Load(net, dict);
        return Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
    }
}
