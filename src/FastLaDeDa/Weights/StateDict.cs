namespace FastLaDeDa.Weights;

/// <summary>
/// Named tensors plus string metadata, as read from a safetensors file or imported from a PyTorch
/// checkpoint. Model-agnostic: model descriptions validate it.
/// </summary>
internal sealed class StateDict
{
    /// <summary>Creates a state dict; the dictionaries are copied.</summary>
    public StateDict(IEnumerable<KeyValuePair<string, TensorData>> tensors,
                     IEnumerable<KeyValuePair<string, string>>? metadata = null,
                     string? sourcePath = null)
    {
        Tensors = new Dictionary<string, TensorData>(tensors, StringComparer.Ordinal);
        Metadata = new Dictionary<string, string>(metadata ?? [], StringComparer.Ordinal);
        SourcePath = sourcePath;
    }

    /// <summary>Tensors by name (PyTorch state-dict names, e.g. <c>layer1.0.conv2.weight</c>).</summary>
    public IReadOnlyDictionary<string, TensorData> Tensors { get; }

    /// <summary>Free-form metadata (safetensors <c>__metadata__</c>); empty for <c>.pth</c> imports.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The file this came from, when it came from one (used in error messages).</summary>
    public string? SourcePath { get; }
}
