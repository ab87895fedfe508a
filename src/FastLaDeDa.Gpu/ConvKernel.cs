using ILGPU;

namespace FastLaDeDa.Gpu;

/// <summary>
/// Convolution as an implicit GEMM, C[M×N] = A[M×K] · B[K×N], with M = output pixels of the
/// batch, N = output channels, K = in-channels × taps; A is never materialised (im2col happens
/// while a tile is loaded) and B is the weights transposed to K × N once at upload.
/// </summary>
/// <remarks>
/// <para>
/// A group of <c>gx × gy</c> threads (gx = gy ∈ {1, 2, 4, 8, 16}) computes a <c>4gx × 4gy</c> tile of C:
/// thread (tx, ty) owns the 4 × 4 outputs at rows <c>m0 + tx + i·gx</c> and columns
/// <c>n0 + ty + j·gy</c>, kept in 16 registers. The K loop walks <see cref="TileK"/> reductions
/// at a time: the group stages a TileK × 4gx slice of A and a TileK × 4gy slice of B in shared
/// memory (each thread loads one fixed column, so the pixel → input-offset division happens once
/// per thread, not per element), synchronises, and every thread does TileK × 16 multiply-adds
/// from 8 shared loads per step. Loads outside M, N or K read as 0, so any size is a valid
/// remainder. Consecutive threads touch consecutive pixels (A loads and C stores coalesce) or
/// consecutive output channels (B loads coalesce); in the inner loop a warp reads one B value per
/// row (a broadcast) and consecutive A values (no bank conflict).
/// </para>
/// <para>
/// Epilogue, fused: <c>v = scale[n] · acc + shift[n]</c> in double (BatchNorm, never folded into
/// the float32 weights), <c>+ residual</c> read with the residual's own height/width strides at
/// the output position (the bottom/right crop of LaDeDa's bottlenecks), ReLU, one float store.
/// </para>
/// <para>CUDA uses 16 × 16 threads (64 × 64 tiles). ILGPU's CPU accelerator simulates a group with
/// one OS thread per thread, meeting at every barrier, so it uses groups of one thread (4 × 4 tiles):
/// the same code, loading every column itself, at ~10× the speed of 4 × 4-thread groups. The same code serves 1×1, 3×3 and strided
/// convolutions: for a 1×1 stride-1 convolution the A address is <c>k · chanStride + m</c>.</para>
/// </remarks>
internal static class ConvKernel
{
    /// <summary>
    /// PyTorch weights [N][K] (K = in channels × kernel²) into the K × N layout the kernels read
    /// (one row of N output channels per reduction step).
    /// </summary>
    public static void TransposeToKxN(ReadOnlySpan<float> weights, int outChannels, Span<float> destination)
    {
        int n = outChannels, k = weights.Length / n;
        if (k * n != weights.Length || destination.Length != weights.Length)
            throw new ArgumentException($"{weights.Length} weights are not {n} rows, or the destination holds {destination.Length}");
        for (int o = 0; o < n; o++)
            for (int i = 0; i < k; i++)
                destination[i * n + o] = weights[o * k + i];
    }

    /// <summary>Reduction steps staged in shared memory per iteration.</summary>
    public const int TileK = 16;

    /// <summary>The largest tile side (4 × 16 threads).</summary>
    public const int MaxTile = 64;

    /// <summary>Outputs per thread along M and along N.</summary>
    public const int PerThread = 4;

    /// <summary>The kernel; launch with grid (⌈M / 4gx⌉, ⌈N / 4gy⌉) and group (gx, gy).</summary>
    public static void Run(
        ArrayView<float> input, ArrayView<float> weightsT, ArrayView<double> scale, ArrayView<double> shift,
        ArrayView<float> residual, ArrayView<float> output, ConvShape s)
    {
        var aTile = SharedMemory.Allocate<float>(TileK * MaxTile);
        var bTile = SharedMemory.Allocate<float>(TileK * MaxTile);

        int tx = Group.IdxX, ty = Group.IdxY, gx = Group.DimX, gy = Group.DimY;
        int bm = PerThread * gx, bn = PerThread * gy;
        int threads = gx * gy, t = ty * gx + tx;
        int m0 = Grid.IdxX * bm, n0 = Grid.IdxY * bn;
        int outHw = s.OutHeight * s.OutWidth;
        int M = s.Batch * outHw, N = s.OutChannels, taps = s.Kernel * s.Kernel, K = s.InChannels * taps;
        int chanStride = s.Batch * s.InHeight * s.InWidth;

        // With at least as many threads as tile columns (groups of 4 × 4 threads and up) each thread
        // loads one fixed A column and one fixed B column, so the pixel → input-offset division is
        // done once per thread. Smaller groups (the CPU accelerator's 1 × 1 and 2 × 2) load several
        // columns per thread and redo it per K step.
        bool wideA = threads >= bm, wideB = threads >= bn;
        int aCol = t % bm, aRow0 = wideA ? t / bm : 0, aRowStep = wideA ? threads / bm : 1;
        int aBase = InputOffset(m0 + aCol, M, outHw, s);
        int bCol = t % bn, bRow0 = wideB ? t / bn : 0, bRowStep = wideB ? threads / bn : 1;

        float c00 = 0, c01 = 0, c02 = 0, c03 = 0;
        float c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        float c20 = 0, c21 = 0, c22 = 0, c23 = 0;
        float c30 = 0, c31 = 0, c32 = 0, c33 = 0;

        for (int k0 = 0; k0 < K; k0 += TileK)
        {
            if (wideA)
            {
                for (int r = aRow0; r < TileK; r += aRowStep)
                    aTile[r * bm + aCol] = LoadA(input, aBase, k0 + r, K, taps, chanStride, s);
            }
            else
            {
                for (int col = t; col < bm; col += threads)
                {
                    int baseOffset = InputOffset(m0 + col, M, outHw, s);
                    for (int r = 0; r < TileK; r++) aTile[r * bm + col] = LoadA(input, baseOffset, k0 + r, K, taps, chanStride, s);
                }
            }
            if (wideB)
            {
                for (int r = bRow0; r < TileK; r += bRowStep)
                    bTile[r * bn + bCol] = LoadB(weightsT, k0 + r, n0 + bCol, K, N);
            }
            else
            {
                for (int col = t; col < bn; col += threads)
                    for (int r = 0; r < TileK; r++) bTile[r * bn + col] = LoadB(weightsT, k0 + r, n0 + col, K, N);
            }
            Group.Barrier();

            for (int r = 0; r < TileK; r++)
            {
                int ar = r * bm + tx, br = r * bn + ty;
                float a0 = aTile[ar], a1 = aTile[ar + gx], a2 = aTile[ar + 2 * gx], a3 = aTile[ar + 3 * gx];
                float b0 = bTile[br], b1 = bTile[br + gy], b2 = bTile[br + 2 * gy], b3 = bTile[br + 3 * gy];
                c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
                c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
                c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
                c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
            }
            Group.Barrier();
        }

        int n = n0 + ty;
        StoreRow(c00, c01, c02, c03, m0 + tx, n, gy, M, scale, shift, residual, output, s);
        StoreRow(c10, c11, c12, c13, m0 + tx + gx, n, gy, M, scale, shift, residual, output, s);
        StoreRow(c20, c21, c22, c23, m0 + tx + 2 * gx, n, gy, M, scale, shift, residual, output, s);
        StoreRow(c30, c31, c32, c33, m0 + tx + 3 * gx, n, gy, M, scale, shift, residual, output, s);
    }

    /// <summary>Reduction steps staged per iteration by <see cref="Run8"/>.</summary>
    public const int TileK8 = 8;

    /// <summary>The largest tile side of <see cref="Run8"/> (8 × 16 threads).</summary>
    public const int MaxTile8 = 128;

    /// <summary>
    /// The same implicit GEMM with 8 × 8 outputs per thread (128 × 128 tiles for 16 × 16 threads,
    /// <see cref="TileK8"/> = 8 reductions per stage): 16 shared loads feed 64 multiply-adds instead
    /// of 8 feeding 16, for the large launches (batches, big layers); <see cref="Run"/> keeps more
    /// groups busy on small ones. Each output is accumulated in the same order (k = 0, 1, …) by
    /// both kernels, so the choice never changes a result.
    /// </summary>
    public static void Run8(
        ArrayView<float> input, ArrayView<float> weightsT, ArrayView<double> scale, ArrayView<double> shift,
        ArrayView<float> residual, ArrayView<float> output, ConvShape s)
    {
        var aTile = SharedMemory.Allocate<float>(TileK8 * MaxTile8);
        var bTile = SharedMemory.Allocate<float>(TileK8 * MaxTile8);

        int tx = Group.IdxX, ty = Group.IdxY, gx = Group.DimX, gy = Group.DimY;
        int bm = 8 * gx, bn = 8 * gy;
        int threads = gx * gy, t = ty * gx + tx;
        int m0 = Grid.IdxX * bm, n0 = Grid.IdxY * bn;
        int outHw = s.OutHeight * s.OutWidth;
        int M = s.Batch * outHw, N = s.OutChannels, taps = s.Kernel * s.Kernel, K = s.InChannels * taps;
        int chanStride = s.Batch * s.InHeight * s.InWidth;

        bool wideA = threads >= bm, wideB = threads >= bn;
        int aCol = t % bm, aRow0 = wideA ? t / bm : 0, aRowStep = wideA ? threads / bm : 1;
        int aBase = InputOffset(m0 + aCol, M, outHw, s);
        int bCol = t % bn, bRow0 = wideB ? t / bn : 0, bRowStep = wideB ? threads / bn : 1;

        float c00 = 0, c01 = 0, c02 = 0, c03 = 0, c04 = 0, c05 = 0, c06 = 0, c07 = 0;
        float c10 = 0, c11 = 0, c12 = 0, c13 = 0, c14 = 0, c15 = 0, c16 = 0, c17 = 0;
        float c20 = 0, c21 = 0, c22 = 0, c23 = 0, c24 = 0, c25 = 0, c26 = 0, c27 = 0;
        float c30 = 0, c31 = 0, c32 = 0, c33 = 0, c34 = 0, c35 = 0, c36 = 0, c37 = 0;
        float c40 = 0, c41 = 0, c42 = 0, c43 = 0, c44 = 0, c45 = 0, c46 = 0, c47 = 0;
        float c50 = 0, c51 = 0, c52 = 0, c53 = 0, c54 = 0, c55 = 0, c56 = 0, c57 = 0;
        float c60 = 0, c61 = 0, c62 = 0, c63 = 0, c64 = 0, c65 = 0, c66 = 0, c67 = 0;
        float c70 = 0, c71 = 0, c72 = 0, c73 = 0, c74 = 0, c75 = 0, c76 = 0, c77 = 0;

        for (int k0 = 0; k0 < K; k0 += TileK8)
        {
            if (wideA)
            {
                for (int r = aRow0; r < TileK8; r += aRowStep)
                    aTile[r * bm + aCol] = LoadA(input, aBase, k0 + r, K, taps, chanStride, s);
            }
            else
            {
                for (int col = t; col < bm; col += threads)
                {
                    int baseOffset = InputOffset(m0 + col, M, outHw, s);
                    for (int r = 0; r < TileK8; r++) aTile[r * bm + col] = LoadA(input, baseOffset, k0 + r, K, taps, chanStride, s);
                }
            }
            if (wideB)
            {
                for (int r = bRow0; r < TileK8; r += bRowStep)
                    bTile[r * bn + bCol] = LoadB(weightsT, k0 + r, n0 + bCol, K, N);
            }
            else
            {
                for (int col = t; col < bn; col += threads)
                    for (int r = 0; r < TileK8; r++) bTile[r * bn + col] = LoadB(weightsT, k0 + r, n0 + col, K, N);
            }
            Group.Barrier();

            for (int r = 0; r < TileK8; r++)
            {
                int ar = r * bm + tx, br = r * bn + ty;
                float a0 = aTile[ar], a1 = aTile[ar + 1 * gx], a2 = aTile[ar + 2 * gx], a3 = aTile[ar + 3 * gx], a4 = aTile[ar + 4 * gx], a5 = aTile[ar + 5 * gx], a6 = aTile[ar + 6 * gx], a7 = aTile[ar + 7 * gx];
                float b0 = bTile[br], b1 = bTile[br + 1 * gy], b2 = bTile[br + 2 * gy], b3 = bTile[br + 3 * gy], b4 = bTile[br + 4 * gy], b5 = bTile[br + 5 * gy], b6 = bTile[br + 6 * gy], b7 = bTile[br + 7 * gy];
                c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3; c04 += a0 * b4; c05 += a0 * b5; c06 += a0 * b6; c07 += a0 * b7;
                c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3; c14 += a1 * b4; c15 += a1 * b5; c16 += a1 * b6; c17 += a1 * b7;
                c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3; c24 += a2 * b4; c25 += a2 * b5; c26 += a2 * b6; c27 += a2 * b7;
                c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3; c34 += a3 * b4; c35 += a3 * b5; c36 += a3 * b6; c37 += a3 * b7;
                c40 += a4 * b0; c41 += a4 * b1; c42 += a4 * b2; c43 += a4 * b3; c44 += a4 * b4; c45 += a4 * b5; c46 += a4 * b6; c47 += a4 * b7;
                c50 += a5 * b0; c51 += a5 * b1; c52 += a5 * b2; c53 += a5 * b3; c54 += a5 * b4; c55 += a5 * b5; c56 += a5 * b6; c57 += a5 * b7;
                c60 += a6 * b0; c61 += a6 * b1; c62 += a6 * b2; c63 += a6 * b3; c64 += a6 * b4; c65 += a6 * b5; c66 += a6 * b6; c67 += a6 * b7;
                c70 += a7 * b0; c71 += a7 * b1; c72 += a7 * b2; c73 += a7 * b3; c74 += a7 * b4; c75 += a7 * b5; c76 += a7 * b6; c77 += a7 * b7;
            }
            Group.Barrier();
        }

        int n = n0 + ty;
        StoreRow8(c00, c01, c02, c03, c04, c05, c06, c07, m0 + tx, n, gy, M, scale, shift, residual, output, s);
        StoreRow8(c10, c11, c12, c13, c14, c15, c16, c17, m0 + tx + 1 * gx, n, gy, M, scale, shift, residual, output, s);
        StoreRow8(c20, c21, c22, c23, c24, c25, c26, c27, m0 + tx + 2 * gx, n, gy, M, scale, shift, residual, output, s);
        StoreRow8(c30, c31, c32, c33, c34, c35, c36, c37, m0 + tx + 3 * gx, n, gy, M, scale, shift, residual, output, s);
        StoreRow8(c40, c41, c42, c43, c44, c45, c46, c47, m0 + tx + 4 * gx, n, gy, M, scale, shift, residual, output, s);
        StoreRow8(c50, c51, c52, c53, c54, c55, c56, c57, m0 + tx + 5 * gx, n, gy, M, scale, shift, residual, output, s);
        StoreRow8(c60, c61, c62, c63, c64, c65, c66, c67, m0 + tx + 6 * gx, n, gy, M, scale, shift, residual, output, s);
        StoreRow8(c70, c71, c72, c73, c74, c75, c76, c77, m0 + tx + 7 * gx, n, gy, M, scale, shift, residual, output, s);
    }

    private static void StoreRow8(float c0, float c1, float c2, float c3, float c4, float c5, float c6, float c7, int m, int n, int gy, int M,
        ArrayView<double> scale, ArrayView<double> shift, ArrayView<float> residual, ArrayView<float> output, ConvShape s)
    {
        StoreRow(c0, c1, c2, c3, m, n, gy, M, scale, shift, residual, output, s);
        StoreRow(c4, c5, c6, c7, m, n + 4 * gy, gy, M, scale, shift, residual, output, s);
    }

    /// <summary>Offset of output pixel <paramref name="m"/>'s window (top-left tap) inside one input plane; −1 outside M.</summary>
    private static int InputOffset(int m, int M, int outHw, ConvShape s)
    {
        if (m >= M) return -1;
        int b = m / outHw, p = m - b * outHw;
        int oy = p / s.OutWidth, ox = p - oy * s.OutWidth;
        return (b * s.InHeight + oy * s.Stride) * s.InWidth + ox * s.Stride;
    }

    /// <summary>A[m, k]: tap k = (channel, ky, kx) of the window at <paramref name="baseOffset"/>; 0 outside M or K.</summary>
    private static float LoadA(ArrayView<float> input, int baseOffset, int k, int K, int taps, int chanStride, ConvShape s)
    {
        if (baseOffset < 0 || k >= K) return 0f;
        int ci = k / taps, tap = k - ci * taps;
        int ky = tap / s.Kernel, kx = tap - ky * s.Kernel;
        return input[ci * chanStride + baseOffset + ky * s.InWidth + kx];
    }

    /// <summary>B[k, n] = weight of output channel n, tap k; 0 outside K or N.</summary>
    private static float LoadB(ArrayView<float> weightsT, int k, int n, int K, int N) => k < K && n < N ? weightsT[k * N + n] : 0f;

    /// <summary>The epilogue for one pixel <paramref name="m"/> and channels n, n + gy, n + 2gy, n + 3gy.</summary>
    private static void StoreRow(float c0, float c1, float c2, float c3, int m, int n, int gy, int M,
        ArrayView<double> scale, ArrayView<double> shift, ArrayView<float> residual, ArrayView<float> output, ConvShape s)
    {
        if (m >= M) return;
        // Residual offset of pixel m inside one residual plane (its own, larger, height and width).
        int resBase = 0, resPlane = 0;
        if (s.ResidualHeight > 0)
        {
            int outHw = s.OutHeight * s.OutWidth;
            int b = m / outHw, p = m - b * outHw;
            int oy = p / s.OutWidth, ox = p - oy * s.OutWidth;
            resPlane = s.Batch * s.ResidualHeight * s.ResidualWidth;
            resBase = (b * s.ResidualHeight + oy) * s.ResidualWidth + ox;
        }
        Store(c0, m, n, M, resBase, resPlane, scale, shift, residual, output, s);
        Store(c1, m, n + gy, M, resBase, resPlane, scale, shift, residual, output, s);
        Store(c2, m, n + 2 * gy, M, resBase, resPlane, scale, shift, residual, output, s);
        Store(c3, m, n + 3 * gy, M, resBase, resPlane, scale, shift, residual, output, s);
    }

    private static void Store(float acc, int m, int n, int M, int resBase, int resPlane,
        ArrayView<double> scale, ArrayView<double> shift, ArrayView<float> residual, ArrayView<float> output, ConvShape s)
    {
        if (n >= s.OutChannels) return;
        double v = scale[n] * acc + shift[n];
        if (s.ResidualHeight > 0) v += residual[n * resPlane + resBase];
        if (s.Relu != 0 && v < 0) v = 0;
        output[n * M + m] = (float)v;
    }
}
