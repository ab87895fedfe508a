using System.Buffers;

namespace FastLaDeDa.Imaging.Resize;

/// <summary>
/// Resizes an image to a fixed size while it is being decoded, row by row, with exactly the bytes
/// <see cref="PillowResize.Bilinear(Rgb24Image, int, int)"/> gives for the whole image: rows the
/// vertical pass reads go through the horizontal pass in small batches as they arrive (Pillow
/// computes the same per-row results), the rest are dropped; the vertical pass runs once every row
/// is in. The full-resolution image never exists, so a 12-megapixel photo needs a few megabytes.
/// </summary>
internal sealed class ResizingRowSink : IRgbRowSink, IDisposable
{
    private const int BatchRows = 8;

    private readonly int _targetWidth, _targetHeight;
    private readonly Resampler _resampler;
    private readonly Memory<byte> _output;
    private int _width, _firstRow, _endRow, _batchStart, _batchCount;
    private ResizePlan? _plan;
    private byte[] _intermediate = [], _batch = [], _discard = [];

    /// <summary>A sink writing the <paramref name="width"/> × <paramref name="height"/> result into <paramref name="output"/> (width × height × 3 bytes).</summary>
    public ResizingRowSink(int width, int height, Memory<byte> output, Resampler? resampler = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if (output.Length < width * height * 3) throw new ArgumentException("the output is too small", nameof(output));
        (_targetWidth, _targetHeight, _output) = (width, height, output);
        _resampler = resampler ?? Resampler.Best;
    }

    /// <inheritdoc/>
    public void Start(int width, int height)
    {
        _width = width;
        _plan = ResizePlan.Create(width, height, _targetWidth, _targetHeight);
        (_firstRow, _endRow) = (_plan.FirstRow, _plan.EndRow);
        if (_plan.Vertical is not null)
            _intermediate = ArrayPool<byte>.Shared.Rent(checked((_endRow - _firstRow) * _targetWidth * 3));
        _batch = ArrayPool<byte>.Shared.Rent(BatchRows * width * 3);
        _discard = ArrayPool<byte>.Shared.Rent(width * 3);
        _batchStart = _firstRow;
        _batchCount = 0;
    }

    /// <inheritdoc/>
    public Span<byte> RowBuffer(int y) =>
        y >= _firstRow && y < _endRow
            ? _batch.AsSpan((y - _batchStart) * _width * 3, _width * 3)
            : _discard.AsSpan(0, _width * 3);

    /// <inheritdoc/>
    public void RowDone(int y)
    {
        if (y < _firstRow || y >= _endRow) return;
        _batchCount++;
        if (_batchCount == BatchRows || y == _endRow - 1) FlushBatch();
    }

    /// <summary>The horizontal pass (or a copy, when the width does not change) of the batched rows.</summary>
    private void FlushBatch()
    {
        int outStride = _targetWidth * 3;
        Span<byte> destination = (_plan!.Vertical is null ? _output.Span : _intermediate.AsSpan())
            .Slice((_batchStart - _firstRow) * outStride, _batchCount * outStride);
        ReadOnlySpan<byte> rows = _batch.AsSpan(0, _batchCount * _width * 3);
        if (_plan.Horizontal is null) rows.CopyTo(destination);
        else _resampler.Horizontal(rows, _width, _plan.Horizontal, 0, _batchCount, destination);
        _batchStart += _batchCount;
        _batchCount = 0;
    }

    /// <summary>Runs the vertical pass once every row has arrived; the output then holds the resized image.</summary>
    public void Finish()
    {
        if (_batchStart != _endRow) throw new InvalidOperationException("the decoder did not deliver every row");
        if (_plan?.Vertical is { } vertical)
            _resampler.Vertical(_intermediate.AsSpan(0, (_endRow - _firstRow) * _targetWidth * 3), _targetWidth, vertical, _firstRow, _output.Span);
    }

    /// <summary>Returns the pooled buffers.</summary>
    public void Dispose()
    {
        _plan?.Dispose();
        _plan = null;
        if (_intermediate.Length > 0) ArrayPool<byte>.Shared.Return(_intermediate);
        if (_batch.Length > 0) ArrayPool<byte>.Shared.Return(_batch);
        if (_discard.Length > 0) ArrayPool<byte>.Shared.Return(_discard);
        _intermediate = _batch = _discard = [];
    }
}
