namespace FastLaDeDa.Imaging.Resize;

/// <summary>
/// The horizontal pass of one resize, prepared once: the axis and, for the vector passes, its
/// <see cref="HorizontalTapTable"/>. A streaming decoder runs the pass a few rows at a time, so
/// the table must not be rebuilt per call. Dispose it to return the table's pooled arrays.
/// </summary>
internal sealed class HorizontalResampling : IDisposable
{
    private readonly HorizontalTapTable _table;

    /// <summary>Prepares the pass for <paramref name="axis"/>.</summary>
    public HorizontalResampling(ResampleAxis axis)
    {
        Axis = axis;
        HasTable = axis.OutputSize >= 4;
        if (HasTable) _table = new HorizontalTapTable(axis);
    }

    /// <summary>The taps along x.</summary>
    public ResampleAxis Axis { get; }

    /// <summary>Whether <see cref="Table"/> exists (the vector passes need at least 4 outputs).</summary>
    public bool HasTable { get; }

    /// <summary>The taps rearranged for the vector passes.</summary>
    public ref readonly HorizontalTapTable Table => ref _table;

    /// <summary>Returns the table's arrays.</summary>
    public void Dispose()
    {
        if (HasTable) _table.Dispose();
    }
}
