namespace FastLaDeDa.Models;

/// <summary>One tensor a model expects in its state dict: its PyTorch name and shape.</summary>
/// <param name="Name">State-dict name, e.g. <c>layer1.0.conv2.weight</c>.</param>
/// <param name="Shape">Expected shape, e.g. [8, 8, 3, 3]; empty for a scalar.</param>
/// <param name="Required">False for bookkeeping tensors the model ignores (<c>num_batches_tracked</c>).</param>
internal sealed record TensorSpec(string Name, int[] Shape, bool Required = true)
{
    /// <summary>Shape as text, e.g. <c>[8, 3, 1, 1]</c>.</summary>
    public string ShapeText => "[" + string.Join(", ", Shape) + "]";
}
