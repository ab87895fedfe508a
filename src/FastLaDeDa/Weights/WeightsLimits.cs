using FastLaDeDa.Errors;

namespace FastLaDeDa.Weights;

/// <summary>
/// Upper bounds applied while reading a weights file, so that a hostile or corrupt file fails with
/// a <see cref="WeightsFormatException"/> before it can make the reader allocate or loop without
/// bound. Every length read from a file is checked against these or against the file itself.
/// </summary>
public sealed record WeightsLimits
{
    /// <summary>The defaults: far above any LaDeDa checkpoint, far below what would exhaust a machine.</summary>
    public static WeightsLimits Default { get; } = new();

    /// <summary>Largest file (or in-memory input) accepted, in bytes. Default 2 GiB.</summary>
    public long MaxFileBytes { get; init; } = 2L << 30;

    /// <summary>Largest safetensors JSON header, in bytes. Default 16 MiB.</summary>
    public long MaxHeaderBytes { get; init; } = 16L << 20;

    /// <summary>Most tensors in one file. Default 100,000.</summary>
    public int MaxTensorCount { get; init; } = 100_000;

    /// <summary>
    /// Largest single tensor (or PyTorch storage), in bytes. Default <see cref="Array.MaxLength"/>,
    /// the most a .NET byte array can hold; values above that are capped to it.
    /// </summary>
    public long MaxTensorBytes { get; init; } = Array.MaxLength;

    /// <summary>Largest <c>data.pkl</c> inside a <c>.pth</c> checkpoint, in bytes. Default 64 MiB.</summary>
    public long MaxPickleBytes { get; init; } = 64L << 20;

    /// <summary>
    /// Most entries in a <c>.pth</c> zip archive. Default 100,016: one storage per tensor at
    /// <see cref="MaxTensorCount"/> plus the few bookkeeping entries (<c>data.pkl</c>, <c>version</c>, ...).
    /// </summary>
    public int MaxZipEntries { get; init; } = 100_016;

    /// <summary><see cref="MaxTensorBytes"/>, never above what a byte array can hold.</summary>
    internal long TensorByteCap => Math.Min(MaxTensorBytes, Array.MaxLength);
}
