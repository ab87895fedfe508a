using System.Runtime.CompilerServices;
using ILGPU;

namespace FastLaDeDa.Gpu;

/// <summary>
/// The tile parameters of <see cref="ConvKernel.Run{TTile}"/> and the registers they need: static
/// abstract members, so each implementation compiles to its own kernel with constant tile sizes (and
/// constant shared-memory lengths), and the accumulators as fields of the struct itself, which ILGPU
/// keeps in registers. Every output accumulates its products in the same order (k = 0, 1, …) in every
/// tile, so the choice of tile never changes a result.
/// </summary>
internal interface IConvTile
{
    /// <summary>Outputs per thread along M and along N.</summary>
    static abstract int PerThread { get; }

    /// <summary>Reduction steps staged in shared memory per iteration.</summary>
    static abstract int TileK { get; }

    /// <summary>The largest tile side: <see cref="PerThread"/> × 16 threads.</summary>
    static abstract int MaxTile { get; }

    /// <summary>One reduction step: A values at <c>ar + i·gx</c>, B values at <c>br + j·gy</c>, every product added.</summary>
    void Accumulate(ArrayView<float> aTile, ArrayView<float> bTile, int ar, int br, int gx, int gy);

    /// <summary>The epilogue of every output: rows <c>m + i·gx</c>, channels <c>n + j·gy</c>.</summary>
    void Store(int m, int n, int gx, int gy, in ConvEpilogue epilogue);
}

/// <summary>4 × 4 outputs per thread, 16 reductions per stage (64 × 64 tiles on CUDA): more groups for small launches.</summary>
internal struct ConvTile4 : IConvTile
{
    private ConvAccumulator _c;

    public static int PerThread => 4;

    public static int TileK => 16;

    public static int MaxTile => 64;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Accumulate(ArrayView<float> aTile, ArrayView<float> bTile, int ar, int br, int gx, int gy) =>
        _c.Add(aTile[ar], aTile[ar + gx], aTile[ar + 2 * gx], aTile[ar + 3 * gx],
               bTile[br], bTile[br + gy], bTile[br + 2 * gy], bTile[br + 3 * gy]);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Store(int m, int n, int gx, int gy, in ConvEpilogue epilogue) => _c.Store(m, n, gx, gy, epilogue);
}

/// <summary>
/// 8 × 8 outputs per thread as four 4 × 4 quadrants, 8 reductions per stage (128 × 128 tiles on
/// CUDA): 16 shared loads feed 64 multiply-adds instead of 8 feeding 16, for the large launches.
/// </summary>
internal struct ConvTile8 : IConvTile
{
    private ConvAccumulator _top, _topRight, _bottom, _bottomRight;

    public static int PerThread => 8;

    public static int TileK => 8;

    public static int MaxTile => 128;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Accumulate(ArrayView<float> aTile, ArrayView<float> bTile, int ar, int br, int gx, int gy)
    {
        float a0 = aTile[ar], a1 = aTile[ar + gx], a2 = aTile[ar + 2 * gx], a3 = aTile[ar + 3 * gx];
        float a4 = aTile[ar + 4 * gx], a5 = aTile[ar + 5 * gx], a6 = aTile[ar + 6 * gx], a7 = aTile[ar + 7 * gx];
        float b0 = bTile[br], b1 = bTile[br + gy], b2 = bTile[br + 2 * gy], b3 = bTile[br + 3 * gy];
        float b4 = bTile[br + 4 * gy], b5 = bTile[br + 5 * gy], b6 = bTile[br + 6 * gy], b7 = bTile[br + 7 * gy];
        _top.Add(a0, a1, a2, a3, b0, b1, b2, b3);
        _topRight.Add(a0, a1, a2, a3, b4, b5, b6, b7);
        _bottom.Add(a4, a5, a6, a7, b0, b1, b2, b3);
        _bottomRight.Add(a4, a5, a6, a7, b4, b5, b6, b7);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Store(int m, int n, int gx, int gy, in ConvEpilogue epilogue)
    {
        _top.Store(m, n, gx, gy, epilogue);
        _topRight.Store(m, n + 4 * gy, gx, gy, epilogue);
        _bottom.Store(m + 4 * gx, n, gx, gy, epilogue);
        _bottomRight.Store(m + 4 * gx, n + 4 * gy, gx, gy, epilogue);
    }
}

/// <summary>4 × 4 accumulators in registers: rows a0..a3 times columns b0..b3.</summary>
internal struct ConvAccumulator
{
    private float _c00, _c01, _c02, _c03, _c10, _c11, _c12, _c13, _c20, _c21, _c22, _c23, _c30, _c31, _c32, _c33;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(float a0, float a1, float a2, float a3, float b0, float b1, float b2, float b3)
    {
        _c00 += a0 * b0; _c01 += a0 * b1; _c02 += a0 * b2; _c03 += a0 * b3;
        _c10 += a1 * b0; _c11 += a1 * b1; _c12 += a1 * b2; _c13 += a1 * b3;
        _c20 += a2 * b0; _c21 += a2 * b1; _c22 += a2 * b2; _c23 += a2 * b3;
        _c30 += a3 * b0; _c31 += a3 * b1; _c32 += a3 * b2; _c33 += a3 * b3;
    }

    /// <summary>Rows <c>m, m + gx, m + 2gx, m + 3gx</c> at channels <c>n, n + gy, n + 2gy, n + 3gy</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Store(int m, int n, int gx, int gy, in ConvEpilogue e)
    {
        e.StoreRow(_c00, _c01, _c02, _c03, m, n, gy);
        e.StoreRow(_c10, _c11, _c12, _c13, m + gx, n, gy);
        e.StoreRow(_c20, _c21, _c22, _c23, m + 2 * gx, n, gy);
        e.StoreRow(_c30, _c31, _c32, _c33, m + 3 * gx, n, gy);
    }
}
