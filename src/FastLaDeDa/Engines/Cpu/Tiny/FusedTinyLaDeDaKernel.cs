using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using FastLaDeDa.Simd;

namespace FastLaDeDa.Engines.Cpu.Tiny;

/// <summary>
/// Tiny-LaDeDa in one pass over the image, written once for every register width
/// (<typeparamref name="TOps"/>: scalar, Vector128, Vector256, Vector512).
/// </summary>
/// <remarks>
/// Rows flow through four stages, each keeping a rolling window of three rows in the per-thread
/// workspace, so every intermediate is produced once and stays in cache:
/// <list type="number">
/// <item>input: a row of RGB bytes → three rows of normalized floats;</item>
/// <item>filter: the preprocessing filter (both bit-identical to the reference's float32 values),
/// then its Winograd F(2,3) input transform along x;</item>
/// <item>hidden: the fused stem (3×3, 3→8, ReLU) as Winograd F(2,3) along x, then the pointwise
/// conv (1×1, 8→8, ReLU), vectorised across 2·Count column pairs; the Winograd outputs come split
/// into even and odd columns, stored split once more into the four column phases (≡ 0..3 mod 4),
/// so the next stage's reads are contiguous;</item>
/// <item>map: the strided conv (3×3 stride 2, 8→8, ReLU) as polyphase Winograd F(2,2) along x,
/// the fc head and both poolings.</item>
/// </list>
/// Multiplies per image at 256²: 21.2 M (27.3 M as direct convolutions). Output channels are
/// computed four at a time (8–12 accumulators), which fits the 16 registers of AVX2 as well as the
/// 32 of AVX-512; only Vector512 keeps the stem's 16 Winograd products of four channels in
/// registers (see <c>HiddenRow</c>).
/// </remarks>
internal static class FusedTinyLaDeDaKernel<TOps, TVec>
    where TOps : struct, ISimdOps<TVec>
    where TVec : struct
{
    private const int ZeroRowSlot = 3;

    public static PatchPooling Run(FusedTinyLaDeDaWeights weights, ReadOnlySpan<byte> rgb, int width, int height, Span<float> map)
    {
        int hiddenWidth = width - 2, hiddenHeight = height - 2;
        int mapWidth = (hiddenWidth - 3) / 2 + 1, mapHeight = (hiddenHeight - 3) / 2 + 1;
        // Column pairs of the stem, rounded up to whole vector steps (2·Count pairs).
        int pairStep = 2 * TOps.Count, pairEnd = ((hiddenWidth + 1) / 2 + pairStep - 1) / pairStep * pairStep;
        var work = FusedTinyLaDeDaWorkspace.ForCurrentThread(width);
        var state = new Pipeline(weights, rgb, width, height, work);

        double sum = 0;
        float max = float.NegativeInfinity;
        int hiddenDone = 0, filteredDone = 0, inputDone = 0;
        for (int i = 0; i < mapHeight; i++)
        {
            for (; hiddenDone < 2 * i + 3; hiddenDone++)
            {
                for (; filteredDone < hiddenDone + 3; filteredDone++)
                {
                    for (; inputDone < Math.Min(filteredDone + 2, height); inputDone++)
                        state.LoadInputRow(inputDone);
                    state.FilterRow(filteredDone);
                    state.TransformRow(filteredDone, pairEnd);
                }
                state.HiddenRow(hiddenDone, pairEnd);
            }
            state.MapRow(i, mapWidth);
            ReadOnlySpan<float> logits = work.MapRow[..mapWidth];
            sum += TensorPrimitives.Sum(logits);
            max = Math.Max(max, TensorPrimitives.Max(logits));
            if (!map.IsEmpty) logits.CopyTo(map.Slice(i * mapWidth, mapWidth));
        }
        return new PatchPooling(sum / ((double)mapWidth * mapHeight), max);
    }

    /// <summary>The per-run view of weights, input and workspace, with one method per stage.</summary>
    private readonly ref struct Pipeline
    {
        private readonly FusedTinyLaDeDaWeights _w;
        private readonly ReadOnlySpan<byte> _rgb;
        private readonly int _width, _height, _stride, _halfStride, _quarterStride;
        private readonly FusedTinyLaDeDaWorkspace _work;

        public Pipeline(FusedTinyLaDeDaWeights weights, ReadOnlySpan<byte> rgb, int width, int height, FusedTinyLaDeDaWorkspace work)
        {
            _w = weights;
            _rgb = rgb;
            _width = width;
            _height = height;
            _work = work;
            _stride = work.RowStride;
            _halfStride = work.HalfStride;
            _quarterStride = work.QuarterStride;
        }

        private int InputSlot(int y) => (uint)y < (uint)_height ? y % 3 : ZeroRowSlot;

        private ref float InputRow(int y, int c) => ref _work.Input[(InputSlot(y) * 3 + c) * _stride];

        private ref float FilteredRow(int y, int c) => ref _work.Filtered[((y % 3) * 3 + c) * _stride];

        private ref float HiddenPhase(int y, int c, int phase) => ref _work.Hidden[(((y % 3) * 8 + c) * 4 + phase) * _quarterStride];

        /// <summary>Row y of RGB bytes → three rows of normalized floats; column x lands at index x + 1.</summary>
        public void LoadInputRow(int y)
        {
            int step = 2 * TOps.Count;
            ref byte src = ref MemoryMarshal.GetReference(_rgb.Slice(y * _width * 3, _width * 3));
            ref float r = ref Unsafe.Add(ref InputRow(y, 0), 1);
            ref float g = ref Unsafe.Add(ref InputRow(y, 1), 1);
            ref float b = ref Unsafe.Add(ref InputRow(y, 2), 1);
            int x = 0;
            for (; x + step <= _width; x += step)
                TOps.DeinterleaveRgb(ref Unsafe.Add(ref src, 3 * x), ref Unsafe.Add(ref r, x), ref Unsafe.Add(ref g, x), ref Unsafe.Add(ref b, x));
            for (; x < _width; x++)
            {
                Unsafe.Add(ref r, x) = Unsafe.Add(ref src, 3 * x);
                Unsafe.Add(ref g, x) = Unsafe.Add(ref src, 3 * x + 1);
                Unsafe.Add(ref b, x) = Unsafe.Add(ref src, 3 * x + 2);
            }
            NormalizeRow(ref r, ref g, ref b);
        }

        /// <summary>
        /// (v / 255 − mean) / std in float32, bit-identical to the reference's values
        /// (<see cref="Preprocessing.RgbNormalization{TOps, TVec}"/>, three independent chains). Then the zero padding right of the row (index 0,
        /// left of it, is never written).
        /// </summary>
        private void NormalizeRow(ref float r, ref float g, ref float b)
        {
            int n = TOps.Count;
            // A local per row rather than a field of this ref struct: measured ~4 % faster over
            // the whole kernel (the JIT keeps a local's constants in registers).
            var normalization = Preprocessing.RgbNormalization<TOps, TVec>.Create();
            for (int x = 0; x < _width; x += n)
                normalization.Apply(ref Unsafe.Add(ref r, x), ref Unsafe.Add(ref g, x), ref Unsafe.Add(ref b, x));
            // The vector loop may have written past the row: restore the zero padding.
            for (int x = _width; x < _width + n; x++)
            {
                Unsafe.Add(ref r, x) = 0;
                Unsafe.Add(ref g, x) = 0;
                Unsafe.Add(ref b, x) = 0;
            }
        }

        /// <summary>The preprocessing filter for row y, float for float as the reference <see cref="Preprocessing.Preprocessor"/> computes it.</summary>
        public void FilterRow(int y)
        {
            if (_w.GradientTaps.Length != 0)
            {
                Gradient(y);
                return;
            }
            int n = TOps.Count, end = (_width + 2 * n - 1) / (2 * n) * (2 * n);
            TVec scale = TOps.Broadcast(_w.NprScale);
            for (int c = 0; c < 3; c++)
            {
                ref float q = ref FilteredRow(y, c);
                ref float row = ref Unsafe.Add(ref InputRow(y, c), 1);
                if (_w.Preprocess == Preprocessing.PreprocessKind.Raw)
                {
                    for (int x = 0; x < _width; x += n)
                        TOps.Store(ref Unsafe.Add(ref q, x), TOps.Load(ref Unsafe.Add(ref row, x)));
                    continue;
                }
                // Q = (x − x[2⌊y/2⌋, 2⌊x/2⌋]) · scale (× 1 changes nothing); whole blocks, reading
                // into the row's padding (the rows are wide enough).
                Preprocessing.NprFilterSimd<TOps, TVec>.Blocks(ref row, ref Unsafe.Add(ref InputRow(y & ~1, c), 1), ref q, end, scale);
            }
        }

        /// <summary>
        /// The 3×3 gradient with zero padding: acc = 0, then acc + k·x for every non-zero tap, row by
        /// row — a multiply then an add, never fused, exactly as the scalar reference (a padded
        /// zero adds +0, which leaves acc unchanged, so padding equals skipping). The three channels
        /// share one loop: three independent chains of six dependent adds.
        /// </summary>
        private void Gradient(int y)
        {
            // The six taps come resolved from the weights, in the reference's row-major order.
            // Input index x + v holds column x + v − 1, so tap (u, v) of output x reads row
            // y + u − 1 at index x + v; channel c adds c · stride, in the input rows as in the
            // filtered ones.
            var taps = _w.GradientTaps;
            int n = TOps.Count, s1 = _stride, s2 = 2 * _stride;
            ref float q = ref FilteredRow(y, 0);
            ref float input = ref MemoryMarshal.GetReference(_work.Input);
            ref float i0 = ref TapRow(ref input, y, taps[0]), i1 = ref TapRow(ref input, y, taps[1]), i2 = ref TapRow(ref input, y, taps[2]);
            ref float i3 = ref TapRow(ref input, y, taps[3]), i4 = ref TapRow(ref input, y, taps[4]), i5 = ref TapRow(ref input, y, taps[5]);
            TVec k0 = TOps.Broadcast(taps[0].Weight), k1 = TOps.Broadcast(taps[1].Weight), k2 = TOps.Broadcast(taps[2].Weight);
            TVec k3 = TOps.Broadcast(taps[3].Weight), k4 = TOps.Broadcast(taps[4].Weight), k5 = TOps.Broadcast(taps[5].Weight);
            for (int x = 0; x < _width; x += n)
            {
                // 0 + k·x, then + k·x per tap: a multiply then an add, as the scalar code does.
                TVec a = TOps.Add(TOps.Zero, TOps.Multiply(k0, TOps.Load(ref Unsafe.Add(ref i0, x))));
                TVec b = TOps.Add(TOps.Zero, TOps.Multiply(k0, TOps.Load(ref Unsafe.Add(ref i0, x + s1))));
                TVec c = TOps.Add(TOps.Zero, TOps.Multiply(k0, TOps.Load(ref Unsafe.Add(ref i0, x + s2))));
                Tap(k1, ref Unsafe.Add(ref i1, x), s1, ref a, ref b, ref c);
                Tap(k2, ref Unsafe.Add(ref i2, x), s1, ref a, ref b, ref c);
                Tap(k3, ref Unsafe.Add(ref i3, x), s1, ref a, ref b, ref c);
                Tap(k4, ref Unsafe.Add(ref i4, x), s1, ref a, ref b, ref c);
                Tap(k5, ref Unsafe.Add(ref i5, x), s1, ref a, ref b, ref c);
                TOps.Store(ref Unsafe.Add(ref q, x), a);
                TOps.Store(ref Unsafe.Add(ref q, x + s1), b);
                TOps.Store(ref Unsafe.Add(ref q, x + s2), c);
            }
        }

        /// <summary>Where tap (u, v) of output row y reads channel 0 (input row y + u − 1, index x + v for output x).</summary>
        private ref float TapRow(ref float input, int y, (int Row, int Column, float Weight) tap) =>
            ref Unsafe.Add(ref input, InputSlot(y + tap.Row - 1) * 3 * _stride + tap.Column);

        /// <summary>One gradient tap for the three channels (rows <paramref name="channelStride"/> apart): acc_c += k · x_c.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Tap(TVec k, ref float x, int channelStride, ref TVec a, ref TVec b, ref TVec c)
        {
            a = TOps.Add(a, TOps.Multiply(k, TOps.Load(ref x)));
            b = TOps.Add(b, TOps.Multiply(k, TOps.Load(ref Unsafe.Add(ref x, channelStride))));
            c = TOps.Add(c, TOps.Multiply(k, TOps.Load(ref Unsafe.Add(ref x, 2 * channelStride))));
        }

        private ref float TransformedRow(int y, int c) => ref _work.Transformed[((y % 3) * 3 + c) * 4 * _halfStride];

        /// <summary>
        /// Winograd F(2,3) input transform of filtered row y, per column pair t (d = Q[2t .. 2t+3]):
        /// [d0 − d2, d1 + d2, d2 − d1, d1 − d3], four rows at +halfStride each. Done once per
        /// filtered row, it serves the three stem rows that read it.
        /// </summary>
        public void TransformRow(int y, int pairEnd)
        {
            int n = TOps.Count, halfStride = _halfStride;
            for (int c = 0; c < 3; c++)
            {
                ref float q = ref FilteredRow(y, c);
                ref float v = ref TransformedRow(y, c);
                for (int p = 0; p < pairEnd; p += n)
                {
                    // d0, d1 of n pairs are the even and odd columns of 2n values; d2, d3 the same two columns on.
                    ref float d = ref Unsafe.Add(ref q, 2 * p);
                    TVec lo = TOps.Load(ref d), hi = TOps.Load(ref Unsafe.Add(ref d, n));
                    TVec lo1 = TOps.Load(ref Unsafe.Add(ref d, 2)), hi1 = TOps.Load(ref Unsafe.Add(ref d, n + 2));
                    TVec d0 = TOps.Even(lo, hi), d1 = TOps.Odd(lo, hi), d2 = TOps.Even(lo1, hi1), d3 = TOps.Odd(lo1, hi1);
                    ref float vp = ref Unsafe.Add(ref v, p);
                    TOps.Store(ref vp, TOps.Subtract(d0, d2));
                    TOps.Store(ref Unsafe.Add(ref vp, halfStride), TOps.Add(d1, d2));
                    TOps.Store(ref Unsafe.Add(ref vp, 2 * halfStride), TOps.Subtract(d2, d1));
                    TOps.Store(ref Unsafe.Add(ref vp, 3 * halfStride), TOps.Subtract(d1, d3));
                }
            }
        }

        /// <summary>
        /// Stem (fused 3×3, 3→8, ReLU) and pointwise (1×1, 8→8, ReLU) for hidden row r, stored as
        /// even/odd columns. The stem is Winograd F(2,3) along x: per column pair, the 4 products
        /// m_k = Σ_(c,ky) U_k · V_k (4 small GEMMs over the 9 transformed rows, 4 instead of 6
        /// multiply-adds per pair), then y_even = m0 + m1 + m2, y_odd = m1 − m2 − m3 — the even
        /// and odd columns the strided conv wants, without a shuffle.
        /// </summary>
        public void HiddenRow(int r, int pairEnd)
        {
            int n = TOps.Count, step = 2 * n, halfStride = _halfStride;
            // Offsets of the 9 (channel, ky) transformed rows, t = c·3 + ky; product k adds k·halfStride.
            Span<int> rowOffset = stackalloc int[9];
            for (int t = 0; t < 9; t++) rowOffset[t] = (((r + t % 3) % 3) * 3 + t / 3) * 4 * halfStride;
            ref int rows = ref MemoryMarshal.GetReference(rowOffset);
            ref float transformed = ref MemoryMarshal.GetReference(_work.Transformed);
            ref float products = ref MemoryMarshal.GetReference(_work.Products);
            ref float stem = ref MemoryMarshal.GetReference(_work.Stem);
            ref float stemW = ref MemoryMarshal.GetArrayDataReference(_w.StemWinograd);
            ref float stemScale = ref MemoryMarshal.GetArrayDataReference(_w.StemScale);
            ref float stemShift = ref MemoryMarshal.GetArrayDataReference(_w.StemShift);
            ref float pointW = ref MemoryMarshal.GetArrayDataReference(_w.PointwiseWeights);
            ref float pointScale = ref MemoryMarshal.GetArrayDataReference(_w.PointwiseScale);
            ref float pointShift = ref MemoryMarshal.GetArrayDataReference(_w.PointwiseShift);
            ref float hiddenRow = ref HiddenPhase(r, 0, 0);

            // Each step: 2·Count column pairs (4·Count pixels). The stem leaves channel o's
            // [even | odd] columns at stem[o · 2·step], 2·step floats.
            for (int p = 0; p < pairEnd; p += step)
            {
                for (int half = 0; half < 8; half += 4)
                {
                    ref float w = ref Unsafe.Add(ref stemW, half);
                    ref float scale = ref Unsafe.Add(ref stemScale, half);
                    ref float shift = ref Unsafe.Add(ref stemShift, half);
                    ref float s = ref Unsafe.Add(ref stem, half * 2 * step);
                    // A 512-bit FMA takes a whole cycle on this core, leaving load slots for a
                    // broadcast per FMA, and AVX-512's 32 registers hold all 16 products of 4
                    // channels: no round trip through memory. Narrower vectors run two FMAs a
                    // cycle and would be load-bound that way (AVX2 also lacks the registers;
                    // Vector128 with 32 registers measured 1.6 ms that way against 1.17 ms).
                    if (TOps.StemInRegisters)
                    {
                        StemInRegisters(ref Unsafe.Add(ref transformed, p), ref rows, ref w, ref scale, ref shift, ref s, step, halfStride);
                        StemInRegisters(ref Unsafe.Add(ref transformed, p + n), ref rows, ref w, ref scale, ref shift, ref Unsafe.Add(ref s, n), step, halfStride);
                    }
                    else
                    {
                        StemThroughMemory(ref Unsafe.Add(ref transformed, p), ref rows, ref w, ref products, halfStride);
                        for (int o = 0; o < 4; o++)
                        {
                            TVec a = TOps.Broadcast(Unsafe.Add(ref scale, o)), b = TOps.Broadcast(Unsafe.Add(ref shift, o));
                            for (int i = 0; i < step; i += n)
                            {
                                ref float m = ref Unsafe.Add(ref products, o * step + i);
                                TVec m0 = TOps.Load(ref m), m1 = TOps.Load(ref Unsafe.Add(ref m, 4 * step));
                                TVec m2 = TOps.Load(ref Unsafe.Add(ref m, 8 * step)), m3 = TOps.Load(ref Unsafe.Add(ref m, 12 * step));
                                ref float so = ref Unsafe.Add(ref s, o * 2 * step + i);
                                TOps.Store(ref so, Activate(TOps.Add(TOps.Add(m0, m1), m2), a, b));
                                TOps.Store(ref Unsafe.Add(ref so, step), Activate(TOps.Subtract(TOps.Subtract(m1, m2), m3), a, b));
                            }
                        }
                    }
                }

                // Pointwise, two output channels at a time over the 4 vectors (even, odd) (eight chains).
                for (int o = 0; o < 8; o += 2)
                {
                    TVec c0 = TOps.Zero, c1 = c0, c2 = c0, c3 = c0, d0 = c0, d1 = c0, d2 = c0, d3 = c0;
                    ref float w = ref Unsafe.Add(ref pointW, o * 8);
                    for (int i = 0; i < 8; i++)
                    {
                        ref float si = ref Unsafe.Add(ref stem, i * 2 * step);
                        TVec s0 = TOps.Load(ref si), s1 = TOps.Load(ref Unsafe.Add(ref si, n));
                        TVec s2 = TOps.Load(ref Unsafe.Add(ref si, step)), s3 = TOps.Load(ref Unsafe.Add(ref si, step + n));
                        TVec wc = TOps.Broadcast(Unsafe.Add(ref w, i));
                        c0 = TOps.MultiplyAdd(wc, s0, c0); c1 = TOps.MultiplyAdd(wc, s1, c1);
                        c2 = TOps.MultiplyAdd(wc, s2, c2); c3 = TOps.MultiplyAdd(wc, s3, c3);
                        TVec wd = TOps.Broadcast(Unsafe.Add(ref w, 8 + i));
                        d0 = TOps.MultiplyAdd(wd, s0, d0); d1 = TOps.MultiplyAdd(wd, s1, d1);
                        d2 = TOps.MultiplyAdd(wd, s2, d2); d3 = TOps.MultiplyAdd(wd, s3, d3);
                    }
                    StoreHidden(ref hiddenRow, o, p, c0, c1, c2, c3, Unsafe.Add(ref pointScale, o), Unsafe.Add(ref pointShift, o));
                    StoreHidden(ref hiddenRow, o + 1, p, d0, d1, d2, d3, Unsafe.Add(ref pointScale, o + 1), Unsafe.Add(ref pointShift, o + 1));
                }
            }
        }

        /// <summary>
        /// The 4 products of 4 stem channels (weights <paramref name="w"/>, 8 per (c, ky) row, 72 per
        /// product) for one vector of column pairs, 16 accumulators, then the output transform into
        /// <paramref name="s"/> (channel o at o · 2·step: even, then odd at +step).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void StemInRegisters(ref float v, ref int rows, ref float w, ref float scale, ref float shift, ref float s, int step, int halfStride)
        {
            TVec m00 = TOps.Zero, m01 = m00, m02 = m00, m03 = m00, m10 = m00, m11 = m00, m12 = m00, m13 = m00;
            TVec m20 = m00, m21 = m00, m22 = m00, m23 = m00, m30 = m00, m31 = m00, m32 = m00, m33 = m00;
            for (int t = 0; t < 9; t++)
            {
                ref float src = ref Unsafe.Add(ref v, Unsafe.Add(ref rows, t));
                ref float wt = ref Unsafe.Add(ref w, 8 * t);
                Tap4(ref wt, TOps.Load(ref src), ref m00, ref m01, ref m02, ref m03);
                Tap4(ref Unsafe.Add(ref wt, 72), TOps.Load(ref Unsafe.Add(ref src, halfStride)), ref m10, ref m11, ref m12, ref m13);
                Tap4(ref Unsafe.Add(ref wt, 144), TOps.Load(ref Unsafe.Add(ref src, 2 * halfStride)), ref m20, ref m21, ref m22, ref m23);
                Tap4(ref Unsafe.Add(ref wt, 216), TOps.Load(ref Unsafe.Add(ref src, 3 * halfStride)), ref m30, ref m31, ref m32, ref m33);
            }
            OutputTransform(ref s, step, m00, m10, m20, m30, scale, shift);
            OutputTransform(ref Unsafe.Add(ref s, 2 * step), step, m01, m11, m21, m31, Unsafe.Add(ref scale, 1), Unsafe.Add(ref shift, 1));
            OutputTransform(ref Unsafe.Add(ref s, 4 * step), step, m02, m12, m22, m32, Unsafe.Add(ref scale, 2), Unsafe.Add(ref shift, 2));
            OutputTransform(ref Unsafe.Add(ref s, 6 * step), step, m03, m13, m23, m33, Unsafe.Add(ref scale, 3), Unsafe.Add(ref shift, 3));
        }

        /// <summary>
        /// The 4 products of 4 stem channels for two vectors of column pairs, one product at a time
        /// (8 accumulators, within AVX2's 16 registers), into <paramref name="m"/>: product k,
        /// channel o at (k · 4 + o) · 2·Count.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void StemThroughMemory(ref float v, ref int rows, ref float w, ref float m, int halfStride)
        {
            int n = TOps.Count, step = 2 * n;
            for (int k = 0; k < 4; k++)
            {
                TVec a0 = TOps.Zero, a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
                ref float wk = ref Unsafe.Add(ref w, k * 72);
                ref float vk = ref Unsafe.Add(ref v, k * halfStride);
                for (int t = 0; t < 9; t++, wk = ref Unsafe.Add(ref wk, 8))
                {
                    ref float src = ref Unsafe.Add(ref vk, Unsafe.Add(ref rows, t));
                    Tap4(ref wk, TOps.Load(ref src), TOps.Load(ref Unsafe.Add(ref src, n)), ref a0, ref a1, ref a2, ref a3, ref b0, ref b1, ref b2, ref b3);
                }
                ref float mk = ref Unsafe.Add(ref m, k * 4 * step);
                TOps.Store(ref mk, a0); TOps.Store(ref Unsafe.Add(ref mk, n), b0);
                TOps.Store(ref Unsafe.Add(ref mk, step), a1); TOps.Store(ref Unsafe.Add(ref mk, step + n), b1);
                TOps.Store(ref Unsafe.Add(ref mk, 2 * step), a2); TOps.Store(ref Unsafe.Add(ref mk, 2 * step + n), b2);
                TOps.Store(ref Unsafe.Add(ref mk, 3 * step), a3); TOps.Store(ref Unsafe.Add(ref mk, 3 * step + n), b3);
            }
        }

        /// <summary>Winograd output transform, BN, ReLU: y_even = m0 + m1 + m2 at s, y_odd = m1 − m2 − m3 at s + step.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void OutputTransform(ref float s, int step, TVec m0, TVec m1, TVec m2, TVec m3, float scale, float shift)
        {
            TVec a = TOps.Broadcast(scale), b = TOps.Broadcast(shift);
            TOps.Store(ref s, Activate(TOps.Add(TOps.Add(m0, m1), m2), a, b));
            TOps.Store(ref Unsafe.Add(ref s, step), Activate(TOps.Subtract(TOps.Subtract(m1, m2), m3), a, b));
        }

        /// <summary>
        /// BN + ReLU of 2·Count even- and 2·Count odd-column pixels of one hidden channel (column
        /// pairs p .. p + 2·Count), stored as the four column phases from quad p / 2: the even
        /// columns split into ≡ 0 and ≡ 2 (mod 4), the odd ones into ≡ 1 and ≡ 3 — what the
        /// strided conv's polyphase Winograd reads.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void StoreHidden(ref float rowChannel0, int channel, int p, TVec even0, TVec even1, TVec odd0, TVec odd1, float scale, float shift)
        {
            int qs = _quarterStride;
            TVec s = TOps.Broadcast(scale), t = TOps.Broadcast(shift);
            even0 = Activate(even0, s, t); even1 = Activate(even1, s, t);
            odd0 = Activate(odd0, s, t); odd1 = Activate(odd1, s, t);
            ref float phase0 = ref Unsafe.Add(ref rowChannel0, channel * 4 * qs + p / 2);
            TOps.Store(ref phase0, TOps.Even(even0, even1));
            TOps.Store(ref Unsafe.Add(ref phase0, qs), TOps.Even(odd0, odd1));
            TOps.Store(ref Unsafe.Add(ref phase0, 2 * qs), TOps.Odd(even0, even1));
            TOps.Store(ref Unsafe.Add(ref phase0, 3 * qs), TOps.Odd(odd0, odd1));
        }

        /// <summary>BatchNorm then ReLU: max(scale · acc + shift, 0).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static TVec Activate(TVec acc, TVec scale, TVec shift) => TOps.Max(TOps.MultiplyAdd(acc, scale, shift), TOps.Zero);

        /// <summary>The fc head's share of one channel for two pixel vectors: logit += fc · ReLU(scale · acc + shift).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Head(ref float fc, ref float scale, ref float shift, TVec a, TVec b, ref TVec la, ref TVec lb)
        {
            TVec f = TOps.Broadcast(fc), s = TOps.Broadcast(scale), t = TOps.Broadcast(shift);
            la = TOps.MultiplyAdd(f, Activate(a, s, t), la);
            lb = TOps.MultiplyAdd(f, Activate(b, s, t), lb);
        }

        /// <summary>One tap for 4 output channels × 1 pixel vector: acc_k += w[k] · v.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Tap4(ref float w, TVec v, ref TVec a0, ref TVec a1, ref TVec a2, ref TVec a3)
        {
            a0 = TOps.MultiplyAdd(TOps.Broadcast(w), v, a0);
            a1 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref w, 1)), v, a1);
            a2 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref w, 2)), v, a2);
            a3 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref w, 3)), v, a3);
        }

        /// <summary>One tap for 4 output channels × 2 pixel vectors: acc_k += w[k] · v.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Tap4(ref float w, TVec va, TVec vb, ref TVec a0, ref TVec a1, ref TVec a2, ref TVec a3, ref TVec b0, ref TVec b1, ref TVec b2, ref TVec b3)
        {
            TVec w0 = TOps.Broadcast(w);
            a0 = TOps.MultiplyAdd(w0, va, a0); b0 = TOps.MultiplyAdd(w0, vb, b0);
            TVec w1 = TOps.Broadcast(Unsafe.Add(ref w, 1));
            a1 = TOps.MultiplyAdd(w1, va, a1); b1 = TOps.MultiplyAdd(w1, vb, b1);
            TVec w2 = TOps.Broadcast(Unsafe.Add(ref w, 2));
            a2 = TOps.MultiplyAdd(w2, va, a2); b2 = TOps.MultiplyAdd(w2, vb, b2);
            TVec w3 = TOps.Broadcast(Unsafe.Add(ref w, 3));
            a3 = TOps.MultiplyAdd(w3, va, a3); b3 = TOps.MultiplyAdd(w3, vb, b3);
        }

        /// <summary>
        /// Strided conv (3×3 stride 2, 8→8, ReLU) and fc head for map row i, into the workspace's map
        /// row, as polyphase Winograd F(2,2) along x. Outputs 2u and 2u + 1 read hidden columns
        /// 4u .. 4u+4: per kernel row, the even columns E = (P0[u], P2[u], P0[u+1]) through the taps
        /// (w0, w2) — a 2-tap convolution, so F(2,2): (P0 − P2)·w0 and (P0[u+1] − P2)·w2 for one
        /// output each, P2·(w0 + w2) shared by both — and the odd columns P1[u], P3[u] through w1.
        /// Five multiplies per pair of outputs instead of six; one vector of even and one of odd
        /// outputs per step, zipped into the map row at the end.
        /// </summary>
        public void MapRow(int i, int mapWidth)
        {
            int n = TOps.Count, qs = _quarterStride;
            // Per (channel, ky): the phase-0 row of the hidden row; phase k follows at +k·quarterStride.
            Span<int> rowOffset = stackalloc int[24];
            for (int t = 0; t < 24; t++) rowOffset[t] = (((2 * i + t % 3) % 3) * 8 + t / 3) * 4 * qs;
            ref int rows = ref MemoryMarshal.GetReference(rowOffset);
            ref float hidden = ref MemoryMarshal.GetReference(_work.Hidden);
            ref float stridedW = ref MemoryMarshal.GetArrayDataReference(_w.StridedWeights);
            ref float stridedScale = ref MemoryMarshal.GetArrayDataReference(_w.StridedScale);
            ref float stridedShift = ref MemoryMarshal.GetArrayDataReference(_w.StridedShift);
            ref float fc = ref MemoryMarshal.GetArrayDataReference(_w.Fc);
            ref float output = ref MemoryMarshal.GetReference(_work.MapRow);
            int pairs = (mapWidth + 1) / 2;

            for (int u = 0; u < pairs; u += n)
            {
                TVec la = TOps.Broadcast(_w.FcBias), lb = la; // outputs 2u (even) and 2u + 1 (odd)
                for (int half = 0; half < 8; half += 4)
                {
                    // Per channel: the even output's sum, the odd output's sum, the product they share.
                    TVec a0 = TOps.Zero, a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0, m0 = a0, m1 = a0, m2 = a0, m3 = a0;
                    ref float w = ref Unsafe.Add(ref stridedW, half);
                    for (int t = 0; t < 24; t++, w = ref Unsafe.Add(ref w, 32))
                    {
                        ref float p0 = ref Unsafe.Add(ref hidden, Unsafe.Add(ref rows, t) + u);
                        TVec phase2 = TOps.Load(ref Unsafe.Add(ref p0, 2 * qs));
                        TVec first = TOps.Subtract(TOps.Load(ref p0), phase2);                 // E0 − E1
                        TVec last = TOps.Subtract(TOps.Load(ref Unsafe.Add(ref p0, 1)), phase2); // E2 − E1
                        Tap4(ref w, first, ref a0, ref a1, ref a2, ref a3);
                        Tap4(ref Unsafe.Add(ref w, 8), TOps.Load(ref Unsafe.Add(ref p0, qs)), TOps.Load(ref Unsafe.Add(ref p0, 3 * qs)), ref a0, ref a1, ref a2, ref a3, ref b0, ref b1, ref b2, ref b3);
                        Tap4(ref Unsafe.Add(ref w, 16), last, ref b0, ref b1, ref b2, ref b3);
                        Tap4(ref Unsafe.Add(ref w, 24), phase2, ref m0, ref m1, ref m2, ref m3);
                    }
                    // fc: logit += Σ fc[o] · ReLU(bn(conv)), conv = own sum + shared product
                    Head(ref Unsafe.Add(ref fc, half), ref Unsafe.Add(ref stridedScale, half), ref Unsafe.Add(ref stridedShift, half), TOps.Add(a0, m0), TOps.Add(b0, m0), ref la, ref lb);
                    Head(ref Unsafe.Add(ref fc, half + 1), ref Unsafe.Add(ref stridedScale, half + 1), ref Unsafe.Add(ref stridedShift, half + 1), TOps.Add(a1, m1), TOps.Add(b1, m1), ref la, ref lb);
                    Head(ref Unsafe.Add(ref fc, half + 2), ref Unsafe.Add(ref stridedScale, half + 2), ref Unsafe.Add(ref stridedShift, half + 2), TOps.Add(a2, m2), TOps.Add(b2, m2), ref la, ref lb);
                    Head(ref Unsafe.Add(ref fc, half + 3), ref Unsafe.Add(ref stridedScale, half + 3), ref Unsafe.Add(ref stridedShift, half + 3), TOps.Add(a3, m3), TOps.Add(b3, m3), ref la, ref lb);
                }
                TOps.Interleave(la, lb, out TVec low, out TVec high);
                TOps.Store(ref Unsafe.Add(ref output, 2 * u), low);
                TOps.Store(ref Unsafe.Add(ref output, 2 * u + n), high);
            }
        }
    }
}
