namespace FastLaDeDa.Imaging.Resize;

/// <summary>
/// Everything a Pillow BILINEAR resize from one size to another needs before it sees a pixel: the
/// vertical taps (null when the height does not change), the horizontal pass (null when the width
/// does not change) and the source rows the vertical pass reads, [<see cref="FirstRow"/>,
/// <see cref="EndRow"/>). Immutable once built, so a cached plan can be shared by threads; building
/// one allocates, reusing one does not (<see cref="ResizePlanCache"/>).
/// </summary>
internal sealed class ResizePlan : IDisposable
{
    private ResizePlan(int sourceWidth, int sourceHeight, int width, int height)
    {
        (SourceWidth, SourceHeight, Width, Height) = (sourceWidth, sourceHeight, width, height);
        if (sourceHeight != height)
        {
            Vertical = ResampleAxis.Bilinear(sourceHeight, height);
            FirstRow = Vertical.Start[0];
            EndRow = Vertical.Start[^1] + Vertical.Count[^1];
        }
        else
        {
            EndRow = sourceHeight;
        }
        if (sourceWidth != width) Horizontal = new HorizontalResampling(ResampleAxis.Bilinear(sourceWidth, width));
    }

    /// <summary>The plan for resizing <paramref name="sourceWidth"/> × <paramref name="sourceHeight"/> to <paramref name="width"/> × <paramref name="height"/>.</summary>
    public static ResizePlan Create(int sourceWidth, int sourceHeight, int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sourceWidth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sourceHeight);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        return new ResizePlan(sourceWidth, sourceHeight, width, height);
    }

    /// <summary>Source width.</summary>
    public int SourceWidth { get; }

    /// <summary>Source height.</summary>
    public int SourceHeight { get; }

    /// <summary>Output width.</summary>
    public int Width { get; }

    /// <summary>Output height.</summary>
    public int Height { get; }

    /// <summary>The taps along y, or null when the height does not change.</summary>
    public ResampleAxis? Vertical { get; }

    /// <summary>The prepared pass along x, or null when the width does not change.</summary>
    public HorizontalResampling? Horizontal { get; }

    /// <summary>The first source row the output depends on.</summary>
    public int FirstRow { get; }

    /// <summary>One past the last source row the output depends on.</summary>
    public int EndRow { get; }

    /// <summary>Whether this plan resizes <paramref name="sourceWidth"/> × <paramref name="sourceHeight"/> to <paramref name="width"/> × <paramref name="height"/>.</summary>
    public bool Matches(int sourceWidth, int sourceHeight, int width, int height) =>
        SourceWidth == sourceWidth && SourceHeight == sourceHeight && Width == width && Height == height;

    /// <summary>Returns the horizontal pass's pooled tables (only for a plan nobody else holds).</summary>
    public void Dispose() => Horizontal?.Dispose();
}
