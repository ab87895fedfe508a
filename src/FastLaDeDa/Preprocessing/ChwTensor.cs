namespace FastLaDeDa.Preprocessing;

/// <summary>
/// A float32 image in planar channel-height-width layout (PyTorch's NCHW without the batch),
/// <c>Data[(c * Height + y) * Width + x]</c>. This is the model's input after normalization.
/// </summary>
internal sealed class ChwTensor
{
    /// <summary>Allocates a zeroed tensor.</summary>
    public ChwTensor(int channels, int height, int width)
        : this(channels, height, width, new float[checked(channels * height * width)]) { }

    /// <summary>Wraps <paramref name="data"/> (not copied), which must hold channels × height × width values.</summary>
    public ChwTensor(int channels, int height, int width, float[] data)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentNullException.ThrowIfNull(data);
        if ((long)channels * height * width != data.Length)
            throw new ArgumentException($"expected {(long)channels * height * width} values for {channels}x{height}x{width}, got {data.Length}", nameof(data));
        Channels = channels;
        Height = height;
        Width = width;
        Data = data;
    }

    /// <summary>Number of channels (3 for RGB).</summary>
    public int Channels { get; }

    /// <summary>Rows.</summary>
    public int Height { get; }

    /// <summary>Columns.</summary>
    public int Width { get; }

    /// <summary>The values, channel planes one after another.</summary>
    public float[] Data { get; }

    /// <summary>Values per channel plane.</summary>
    public int PlaneSize => Height * Width;

    /// <summary>One channel plane.</summary>
    public Span<float> Plane(int channel) => Data.AsSpan(channel * PlaneSize, PlaneSize);

    /// <summary>Element accessor (for tests and reference code, not hot paths).</summary>
    public float this[int channel, int y, int x]
    {
        get => Data[(channel * Height + y) * Width + x];
        set => Data[(channel * Height + y) * Width + x] = value;
    }
}
