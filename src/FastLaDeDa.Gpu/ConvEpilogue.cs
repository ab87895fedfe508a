using System.Runtime.CompilerServices;
using ILGPU;

namespace FastLaDeDa.Gpu;

/// <summary>
/// The fused epilogue of <see cref="ConvKernel.Run{TTile}"/>: <c>v = scale[n] · acc + shift[n]</c> in
/// double (BatchNorm, never folded into the float32 weights), <c>+ residual</c> read with the
/// residual's own height/width at the output position (the bottom/right crop of LaDeDa's
/// bottlenecks), ReLU, one float store.
/// </summary>
internal readonly struct ConvEpilogue(ArrayView<double> scale, ArrayView<double> shift, ArrayView<float> residual, ArrayView<float> output, ConvShape shape, bool relu)
{
    private readonly ArrayView<double> _scale = scale, _shift = shift;
    private readonly ArrayView<float> _residual = residual, _output = output;
    private readonly ConvShape _s = shape;
    private readonly bool _relu = relu;

    /// <summary>The epilogue for one pixel <paramref name="m"/> and channels n, n + gy, n + 2gy, n + 3gy.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void StoreRow(float c0, float c1, float c2, float c3, int m, int n, int gy)
    {
        int M = _s.M;
        if (m >= M) return;
        // Residual offset of pixel m inside one residual plane (its own, larger, height and width).
        int resBase = 0, resPlane = 0;
        if (_s.ResidualHeight > 0)
        {
            int outHw = _s.OutHeight * _s.OutWidth;
            int b = m / outHw, p = m - b * outHw;
            int oy = p / _s.OutWidth, ox = p - oy * _s.OutWidth;
            resPlane = _s.Batch * _s.ResidualHeight * _s.ResidualWidth;
            resBase = (b * _s.ResidualHeight + oy) * _s.ResidualWidth + ox;
        }
        Store(c0, m, n, M, resBase, resPlane);
        Store(c1, m, n + gy, M, resBase, resPlane);
        Store(c2, m, n + 2 * gy, M, resBase, resPlane);
        Store(c3, m, n + 3 * gy, M, resBase, resPlane);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Store(float acc, int m, int n, int M, int resBase, int resPlane)
    {
        if (n >= _s.OutChannels) return;
        double v = _scale[n] * acc + _shift[n];
        if (_s.ResidualHeight > 0) v += _residual[n * resPlane + resBase];
        if (_relu && v < 0) v = 0;
        _output[n * M + m] = (float)v;
    }
}
