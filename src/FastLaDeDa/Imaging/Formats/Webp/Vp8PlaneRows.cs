namespace FastLaDeDa.Imaging.Formats.Webp;

/// <summary>
/// A window of decoded planes: luma rows from <c>lumaFirstRow</c> on and chroma rows from
/// <c>chromaFirstRow</c> on (image row numbers), each plane's rows a stride apart.
/// </summary>
internal readonly ref struct Vp8PlaneRows
{
    private readonly ReadOnlySpan<byte> _y, _u, _v;
    private readonly int _yStride, _uvStride, _lumaFirstRow, _chromaFirstRow, _width, _chromaWidth;

    /// <summary>Creates the window; rows are <paramref name="width"/> (luma) and (width + 1) / 2 (chroma) samples.</summary>
    public Vp8PlaneRows(int width, ReadOnlySpan<byte> y, int yStride, int lumaFirstRow,
        ReadOnlySpan<byte> u, ReadOnlySpan<byte> v, int uvStride, int chromaFirstRow)
    {
        _y = y;
        _u = u;
        _v = v;
        (_yStride, _uvStride, _lumaFirstRow, _chromaFirstRow) = (yStride, uvStride, lumaFirstRow, chromaFirstRow);
        (_width, _chromaWidth) = (width, (width + 1) >> 1);
    }

    /// <summary>Luma row <paramref name="row"/> of the image.</summary>
    public ReadOnlySpan<byte> Luma(int row) => _y.Slice((row - _lumaFirstRow) * _yStride, _width);

    /// <summary>U row <paramref name="row"/> (chroma row numbers).</summary>
    public ReadOnlySpan<byte> U(int row) => _u.Slice((row - _chromaFirstRow) * _uvStride, _chromaWidth);

    /// <summary>V row <paramref name="row"/> (chroma row numbers).</summary>
    public ReadOnlySpan<byte> V(int row) => _v.Slice((row - _chromaFirstRow) * _uvStride, _chromaWidth);
}
