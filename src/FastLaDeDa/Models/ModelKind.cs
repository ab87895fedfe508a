namespace FastLaDeDa.Models;

/// <summary>The network architectures FastLaDeDa knows.</summary>
public enum ModelKind
{
    /// <summary>Tiny-LaDeDa: 4 convolutions, 8 channels, 7×7 receptive field, stride 2.</summary>
    TinyLaDeDa,
    /// <summary>LaDeDa: ResNet-50 bottlenecks with a 9×9 receptive field, stride 8.</summary>
    LaDeDa,
}
