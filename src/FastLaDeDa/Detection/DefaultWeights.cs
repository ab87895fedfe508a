using FastLaDeDa.Errors;
using FastLaDeDa.Weights;

namespace FastLaDeDa.Detection;

/// <summary>The weights embedded in the library at build time (from <see cref="File"/>, when it existed).</summary>
internal static class DefaultWeights
{
    /// <summary>The repository file the embedded weights come from.</summary>
    public const string File = "weights/tiny-ladeda.safetensors";

    private const string Resource = "FastLaDeDa.weights.tiny-ladeda.safetensors";

    /// <summary>Whether this build has them.</summary>
    public static bool Available => typeof(DefaultWeights).Assembly.GetManifestResourceInfo(Resource) is not null;

    /// <summary>Reads the embedded weights.</summary>
    /// <exception cref="DefaultWeightsMissingException">This build has no embedded weights.</exception>
    public static StateDict Read(WeightsLimits? limits = null)
    {
        using Stream? stream = typeof(DefaultWeights).Assembly.GetManifestResourceStream(Resource);
        if (stream is null) throw new DefaultWeightsMissingException(File);
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return SafeTensors.Read(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), "embedded:" + File, limits);
    }
}
