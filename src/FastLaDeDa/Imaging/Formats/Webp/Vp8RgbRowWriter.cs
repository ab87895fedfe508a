using System.Buffers;

namespace FastLaDeDa.Imaging.Formats.Webp;

/// <summary>
/// Turns decoded Y, U, V rows into RGB in batches, as libwebp 1.2.4's <c>EmitFancyRGB</c> does
/// while a frame is decoded: output rows go in pairs around each chroma row (fancy upsampling,
/// <see cref="Vp8FancyUpsampler"/>), so the last row of a batch waits, with its chroma row,
/// until the next batch brings the chroma row below; the first row and an even height's last
/// row use a single chroma row. Then <see cref="Vp8YuvToRgb"/>.
/// </summary>
internal sealed class Vp8RgbRowWriter : IDisposable
{
    private readonly int _width, _height;
    private readonly byte[] _pendingY, _pendingU, _pendingV;
    private readonly byte[] _upsampled;

    /// <summary>Creates the writer for a frame of <paramref name="width"/> x <paramref name="height"/> pixels.</summary>
    public Vp8RgbRowWriter(int width, int height)
    {
        _width = width;
        _height = height;
        int uvWidth = (width + 1) >> 1;
        _pendingY = ArrayPool<byte>.Shared.Rent(width);
        _pendingU = ArrayPool<byte>.Shared.Rent(uvWidth);
        _pendingV = ArrayPool<byte>.Shared.Rent(uvWidth);
        _upsampled = ArrayPool<byte>.Shared.Rent(4 * width);
    }

    /// <summary>
    /// Converts output rows [<paramref name="yStart"/>, <paramref name="yEnd"/>) (luma rows now final,
    /// with their chroma rows), finishing the row left pending by the previous batch and leaving
    /// the last one pending unless <paramref name="yEnd"/> is the height. Batches must follow each other.
    /// </summary>
    public void WriteRows(int yStart, int yEnd, Vp8PlaneRows rows, Span<byte> rgb, int stride)
    {
        if (yStart >= yEnd) return;
        int uvWidth = (_width + 1) >> 1;

        int y = yStart;
        int chroma = yStart >> 1;
        if (yStart == 0)
            ConvertPair(rows.Luma(0), default, rows.U(0), rows.V(0), rows.U(0), rows.V(0), rgb[..(3 * _width)], default);
        else
            ConvertPair(_pendingY.AsSpan(0, _width), rows.Luma(yStart), _pendingU.AsSpan(0, uvWidth), _pendingV.AsSpan(0, uvWidth),
                rows.U(chroma), rows.V(chroma), rgb.Slice((yStart - 1) * stride, 3 * _width), rgb.Slice(yStart * stride, 3 * _width));
        for (; y + 2 < yEnd; y += 2, chroma++)
            ConvertPair(rows.Luma(y + 1), rows.Luma(y + 2), rows.U(chroma), rows.V(chroma), rows.U(chroma + 1), rows.V(chroma + 1),
                rgb.Slice((y + 1) * stride, 3 * _width), rgb.Slice((y + 2) * stride, 3 * _width));

        if (yEnd < _height)
        {
            rows.Luma(y + 1).CopyTo(_pendingY);
            rows.U(chroma).CopyTo(_pendingU);
            rows.V(chroma).CopyTo(_pendingV);
        }
        else if ((yEnd & 1) == 0)
        {
            ConvertPair(rows.Luma(y + 1), default, rows.U(chroma), rows.V(chroma), rows.U(chroma), rows.V(chroma), rgb.Slice((y + 1) * stride, 3 * _width), default);
        }
    }

    /// <summary>
    /// Converts an output row pair: <paramref name="topY"/> with chroma 3/4 from the top chroma rows,
    /// <paramref name="bottomY"/> (when not empty) with chroma 3/4 from the bottom ones.
    /// </summary>
    private void ConvertPair(ReadOnlySpan<byte> topY, ReadOnlySpan<byte> bottomY, ReadOnlySpan<byte> topU, ReadOnlySpan<byte> topV,
        ReadOnlySpan<byte> bottomU, ReadOnlySpan<byte> bottomV, Span<byte> topRgb, Span<byte> bottomRgb)
    {
        int width = _width;
        Span<byte> upTopU = _upsampled.AsSpan(0, width), upBottomU = _upsampled.AsSpan(width, width);
        Span<byte> upTopV = _upsampled.AsSpan(2 * width, width), upBottomV = _upsampled.AsSpan(3 * width, width);
        if (Vp8FancyUpsamplerVector.IsSupported)
        {
            Vp8FancyUpsamplerVector.UpsampleRows(topU, bottomU, upTopU, upBottomU, width);
            Vp8FancyUpsamplerVector.UpsampleRows(topV, bottomV, upTopV, upBottomV, width);
        }
        else
        {
            Vp8FancyUpsampler.UpsampleRows(topU, bottomU, upTopU, upBottomU, width);
            Vp8FancyUpsampler.UpsampleRows(topV, bottomV, upTopV, upBottomV, width);
        }
        ConvertRow(topY, upTopU, upTopV, topRgb);
        if (!bottomY.IsEmpty) ConvertRow(bottomY, upBottomU, upBottomV, bottomRgb);
    }

    private static void ConvertRow(ReadOnlySpan<byte> y, ReadOnlySpan<byte> u, ReadOnlySpan<byte> v, Span<byte> rgb)
    {
        if (Vp8YuvToRgbVector.IsSupported) Vp8YuvToRgbVector.ConvertRow(y, u, v, rgb);
        else Vp8YuvToRgb.ConvertRow(y, u, v, rgb);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_pendingY);
        ArrayPool<byte>.Shared.Return(_pendingU);
        ArrayPool<byte>.Shared.Return(_pendingV);
        ArrayPool<byte>.Shared.Return(_upsampled);
    }
}
