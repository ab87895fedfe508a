using ILGPU;
using ILGPU.Runtime;

namespace FastLaDeDa.Gpu;

/// <summary>
/// Convolution as an implicit GEMM, C[M×N] = A[M×K] · B[K×N], with M = output pixels of the
/// batch, N = output channels, K = in-channels × taps; A is never materialised (im2col happens
/// while a tile is loaded) and B is the weights transposed to K × N once at upload.
/// </summary>
/// <remarks>
/// <para>
/// A group of <c>gx × gy</c> threads (gx = gy ∈ {1, 2, 4, 8, 16}) computes a <c>Pgx × Pgy</c> tile of C
/// (P = 4 or 8 outputs per thread): thread (tx, ty) owns the P × P outputs at rows <c>m0 + tx + i·gx</c>
/// and columns <c>n0 + ty + j·gy</c>, kept in registers. The K loop walks TileK reductions
/// at a time: the group stages a TileK × Pgx slice of A and a TileK × Pgy slice of B in shared
/// memory (each thread loads one fixed column, so the pixel → input-offset division happens once
/// per thread, not per element), synchronises, and every thread does TileK × P² multiply-adds
/// from 2P shared loads per step. Loads outside M, N or K read as 0, so any size is a valid
/// remainder. Consecutive threads touch consecutive pixels (A loads and C stores coalesce) or
/// consecutive output channels (B loads coalesce); in the inner loop a warp reads one B value per
/// row (a broadcast) and consecutive A values (no bank conflict).
/// </para>
/// <para>Epilogue, fused (<see cref="ConvEpilogue"/>): BatchNorm in double, the cropped residual, ReLU.
/// The tile size is a type (<see cref="IConvTile"/>: 4 × 4 or 8 × 8 outputs per thread).</para>
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

    /// <summary>
    /// The kernel; launch with grid (⌈M / tile⌉, ⌈N / tile⌉) and group (gx, gy), tile =
    /// <typeparamref name="TTile"/>'s per-thread outputs × the group side. Kernel size, stride and
    /// ReLU (0 or 1: ILGPU passes no bool, it is not blittable) are specialized values: each
    /// combination compiles once, with the window arithmetic of the
    /// staging loop (<see cref="LoadA"/>) on constants — none for a 1×1 kernel (most of LaDeDa),
    /// and divisions by the constants 9 and 3, which the CUDA compiler turns into multiplications,
    /// for a 3×3 — instead of two integer divisions per staged element.
    /// </summary>
    public static void Run<TTile>(
        ArrayView<float> input, ArrayView<float> weightsT, ArrayView<double> scale, ArrayView<double> shift,
        ArrayView<float> residual, ArrayView<float> output, ConvShape s,
        SpecializedValue<int> kernel, SpecializedValue<int> stride, SpecializedValue<int> relu)
        where TTile : struct, IConvTile
    {
        var aTile = SharedMemory.Allocate<float>(TTile.TileK * TTile.MaxTile);
        var bTile = SharedMemory.Allocate<float>(TTile.TileK * TTile.MaxTile);
        int tileK = TTile.TileK, k = kernel, st = stride;

        int tx = Group.IdxX, ty = Group.IdxY, gx = Group.DimX, gy = Group.DimY;
        int bm = TTile.PerThread * gx, bn = TTile.PerThread * gy;
        int threads = gx * gy, t = ty * gx + tx;
        int m0 = Grid.IdxX * bm, n0 = Grid.IdxY * bn;
        int outHw = s.OutHeight * s.OutWidth;
        int M = s.Batch * outHw, N = s.OutChannels, K = s.InChannels * k * k;
        int chanStride = s.Batch * s.InHeight * s.InWidth;

        // With at least as many threads as tile columns (groups of 4 × 4 threads and up) each thread
        // loads one fixed A column and one fixed B column, so the pixel → input-offset division is
        // done once per thread. Smaller groups (the CPU accelerator's 1 × 1 and 2 × 2) load several
        // columns per thread and redo it per K step.
        bool wideA = threads >= bm, wideB = threads >= bn;
        int aCol = t % bm, aRow0 = wideA ? t / bm : 0, aRowStep = wideA ? threads / bm : 1;
        int aBase = InputOffset(m0 + aCol, M, outHw, st, s);
        int bCol = t % bn, bRow0 = wideB ? t / bn : 0, bRowStep = wideB ? threads / bn : 1;

        var acc = default(TTile);
        for (int k0 = 0; k0 < K; k0 += tileK)
        {
            if (wideA)
            {
                for (int r = aRow0; r < tileK; r += aRowStep)
                    aTile[r * bm + aCol] = LoadA(input, aBase, k0 + r, K, k, chanStride, s.InWidth);
            }
            else
            {
                for (int col = t; col < bm; col += threads)
                {
                    int baseOffset = InputOffset(m0 + col, M, outHw, st, s);
                    for (int r = 0; r < tileK; r++) aTile[r * bm + col] = LoadA(input, baseOffset, k0 + r, K, k, chanStride, s.InWidth);
                }
            }
            if (wideB)
            {
                for (int r = bRow0; r < tileK; r += bRowStep)
                    bTile[r * bn + bCol] = LoadB(weightsT, k0 + r, n0 + bCol, K, N);
            }
            else
            {
                for (int col = t; col < bn; col += threads)
                    for (int r = 0; r < tileK; r++) bTile[r * bn + col] = LoadB(weightsT, k0 + r, n0 + col, K, N);
            }
            Group.Barrier();

            for (int r = 0; r < tileK; r++) acc.Accumulate(aTile, bTile, r * bm + tx, r * bn + ty, gx, gy);
            Group.Barrier();
        }

        acc.Store(m0 + tx, n0 + ty, gx, gy, new ConvEpilogue(scale, shift, residual, output, s, relu.Value != 0));
    }

    /// <summary>Offset of output pixel <paramref name="m"/>'s window (top-left tap) inside one input plane; −1 outside M.</summary>
    private static int InputOffset(int m, int M, int outHw, int stride, ConvShape s)
    {
        if (m >= M) return -1;
        int b = m / outHw, p = m - b * outHw;
        int oy = p / s.OutWidth, ox = p - oy * s.OutWidth;
        return (b * s.InHeight + oy * stride) * s.InWidth + ox * stride;
    }

    /// <summary>A[m, k]: tap k = (channel, ky, kx) of a <paramref name="kernel"/>² window at <paramref name="baseOffset"/>; 0 outside M or K.</summary>
    private static float LoadA(ArrayView<float> input, int baseOffset, int k, int K, int kernel, int chanStride, int inWidth)
    {
        if (baseOffset < 0 || k >= K) return 0f;
        int taps = kernel * kernel;
        int ci = k / taps, tap = k - ci * taps;
        int ky = tap / kernel, kx = tap - ky * kernel;
        return input[ci * chanStride + baseOffset + ky * inWidth + kx];
    }

    /// <summary>B[k, n] = weight of output channel n, tap k; 0 outside K or N.</summary>
    private static float LoadB(ArrayView<float> weightsT, int k, int n, int K, int N) => k < K && n < N ? weightsT[k * N + n] : 0f;
}
