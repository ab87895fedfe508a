using FastLaDeDa.Models;

namespace FastLaDeDa.Engines;

/// <summary>
/// What every prepared Tiny-LaDeDa network shares: the model's geometry and the argument checks
/// before the engine's own computation (<see cref="RunValidated"/>).
/// </summary>
internal abstract class TinyLaDeDaNetwork : IPatchNetwork
{
    /// <inheritdoc />
    public abstract string EngineName { get; }

    /// <inheritdoc />
    public int MinimumInputSize => 5;

    /// <inheritdoc />
    public int Stride => TinyLaDeDaModel.Stride;

    /// <inheritdoc />
    public int ReceptiveField => TinyLaDeDaModel.ReceptiveField;

    /// <inheritdoc />
    public int MapSize(int inputSize) => TinyLaDeDaModel.MapSize(inputSize);

    /// <inheritdoc />
    public PatchPooling Run(ReadOnlySpan<byte> rgb, int width, int height, Span<float> map)
    {
        this.Validate(rgb, width, height, map);
        return RunValidated(rgb, width, height, map);
    }

    /// <summary>The engine's computation on arguments <see cref="Run"/> has checked.</summary>
    protected abstract PatchPooling RunValidated(ReadOnlySpan<byte> rgb, int width, int height, Span<float> map);
}
