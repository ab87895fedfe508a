namespace FastLaDeDa.Detection;

/// <summary>Where a <see cref="Detector"/>'s decision threshold came from.</summary>
public enum ThresholdSource
{
    /// <summary>Neither the options nor the weights named one: 0.5.</summary>
    Default,
    /// <summary>The weights' metadata (<see cref="Models.ModelMetadata.ThresholdKey"/>), calibrated when the model was trained.</summary>
    Weights,
    /// <summary><see cref="DetectorOptions.Threshold"/>.</summary>
    Options,
}
