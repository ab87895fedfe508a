using System.Diagnostics;
using System.Numerics.Tensors;
using FastLaDeDa.Models;
using FastLaDeDa.Preprocessing;

namespace FastLaDeDa.Engines.Cpu.LaDeDa;

/// <summary>
/// LaDeDa on the CPU, bound to packed weights: RGB bytes → normalization and the preprocessing
/// filter (the library's own float32 implementations, so bit-identical) → the fused stem and 16
/// bottlenecks as channels-last GEMMs (<see cref="LaDeDaConvKernels{TOps, TVec}"/>) → the fc head
/// and both poolings. Each layer's tiles are shared between the calling thread and the
/// <see cref="LaDeDaWorkerPool"/>. Thread-safe: concurrent runs use separate workspaces.
/// </summary>
/// <remarks>
/// Large images are scored in bands of patch-map rows (the patches of a band need only the image
/// rows under them), so the workspace stays under about 64 MB whatever the image size; a 256×256
/// image is one band.
/// </remarks>
internal sealed class LaDeDaCpuNetwork : IPatchNetwork
{
    /// <summary>Workspace floats a band may use before the image is split into more bands (64 MB).</summary>
    internal const long DefaultBandBudgetFloats = 16L << 20;

    private const int MaxCachedPlans = 16;

    private readonly LaDeDaCpuWeights _weights;
    private readonly int _maxThreads;
    private readonly Dictionary<(int Width, int Rows), LaDeDaCpuPlan> _plans = [];
    private readonly Dictionary<(int Width, int Height), int> _bandRows = [];
    private readonly Stack<LaDeDaCpuWorkspace> _workspaces = new();
    private readonly Lock _lock = new();
    private long _bandBudgetFloats = DefaultBandBudgetFloats;
    private int _chainChunkTiles = LaDeDaCpuPlan.DefaultChainChunkTiles;

    internal LaDeDaCpuNetwork(string engineName, LaDeDaCpuWeights weights, ILaDeDaConvKernels kernels, int maxThreads)
    {
        EngineName = engineName;
        _weights = weights;
        Kernels = kernels;
        _maxThreads = maxThreads;
    }

    internal ILaDeDaConvKernels Kernels { get; }

    /// <summary>Tiles per chunk of fused chains, 0 for none (tests use 1 to force many chunks).</summary>
    internal int ChainChunkTiles
    {
        get => _chainChunkTiles;
        set
        {
            lock (_lock)
            {
                _chainChunkTiles = value;
                _plans.Clear();
            }
        }
    }

    /// <summary>The workspace budget that decides the band height (tests lower it to force several bands).</summary>
    internal long BandBudgetFloats
    {
        get => _bandBudgetFloats;
        set
        {
            lock (_lock)
            {
                _bandBudgetFloats = value;
                _bandRows.Clear();
            }
        }
    }

    /// <inheritdoc />
    public string EngineName { get; }

    /// <inheritdoc />
    public int MinimumInputSize => _weights.Model.Spec.ReceptiveField;

    /// <inheritdoc />
    public int Stride => LaDeDaSpec.Stride;

    /// <inheritdoc />
    public int ReceptiveField => _weights.Model.Spec.ReceptiveField;

    /// <summary>The most threads one run uses (the calling thread included).</summary>
    public int MaxThreads => _maxThreads;

    /// <inheritdoc />
    public int MapSize(int inputSize) => _weights.Model.MapSize(inputSize);

    /// <inheritdoc />
    public PatchPooling Run(ReadOnlySpan<byte> rgb, int width, int height, Span<float> map) => Run(rgb, width, height, map, default);

    /// <summary>
    /// <see cref="Run(ReadOnlySpan{byte}, int, int, Span{float})"/>, adding the seconds each stage took
    /// to <paramref name="stageSeconds"/> (indexed as <see cref="Stages"/>; empty: no timing).
    /// </summary>
    public PatchPooling Run(ReadOnlySpan<byte> rgb, int width, int height, Span<float> map, Span<double> stageSeconds)
    {
        this.Validate(rgb, width, height, map);
        int mapWidth = MapSize(width), mapHeight = MapSize(height);
        int bandRows = BandRows(width, height);
        LaDeDaCpuPlan full = Plan(width, bandRows);
        LaDeDaCpuPlan? last = mapHeight % bandRows == 0 ? null : Plan(width, mapHeight % bandRows);
        if (!stageSeconds.IsEmpty && stageSeconds.Length != full.Passes.Count + 2)
            throw new ArgumentException($"expected {full.Passes.Count + 2} stage timings", nameof(stageSeconds));

        LaDeDaCpuWorkspace workspace = RentWorkspace();
        var pool = LaDeDaWorkerPool.Shared;
        bool pooled = _maxThreads > 1 && pool.Workers > 0 && pool.TryAcquire();
        try
        {
            workspace.Ensure(full, PlaneFloats(full, width));
            if (last is not null) workspace.Ensure(last, PlaneFloats(last, width));
            int helpers = pooled ? _maxThreads - 1 : 0;
            double sum = 0;
            float max = float.NegativeInfinity;
            for (int first = 0; first < mapHeight; first += bandRows)
            {
                LaDeDaCpuPlan plan = mapHeight - first >= bandRows ? full : last!;
                long t0 = Stopwatch.GetTimestamp();
                Preprocess(plan, workspace, rgb, width, height, first * LaDeDaSpec.Stride);
                Time(stageSeconds, 0, ref t0);
                for (int s = 0; s < plan.Passes.Count; s++)
                {
                    RunPass(plan.Passes[s], workspace, pool, helpers);
                    Time(stageSeconds, Math.Min(s + 1, stageSeconds.Length - 2), ref t0);
                }
                Head(plan, workspace, mapWidth, first, map, ref sum, ref max);
                Time(stageSeconds, stageSeconds.Length - 1, ref t0);
            }
            return new PatchPooling(sum / ((double)mapWidth * mapHeight), max);
        }
        finally
        {
            if (pooled) pool.Release();
            ReturnWorkspace(workspace);
        }
    }

    /// <summary>
    /// The stages <see cref="Run(ReadOnlySpan{byte}, int, int, Span{float}, Span{double})"/> times for
    /// an image of this size, with the multiply-adds each executes: preprocessing, every convolution
    /// (a fused chain as one stage, its names joined by '+'), the head.
    /// </summary>
    public IReadOnlyList<(string Name, long MultiplyAdds)> Stages(int width, int height)
    {
        int mapHeight = MapSize(height);
        if (MapSize(width) < 1 || mapHeight < 1) throw new ArgumentException($"{width}x{height} is smaller than the receptive field");
        int bandRows = BandRows(width, height);
        var full = Plan(width, bandRows);
        var last = mapHeight % bandRows == 0 ? null : Plan(width, mapHeight % bandRows);
        int fullBands = mapHeight / bandRows;
        var stages = new List<(string, long)> { ("preprocess", 0) };
        for (int s = 0; s < full.Passes.Count; s++)
        {
            // The last, shorter band normally has the same passes; where it does not, its work is
            // counted under the full band's pass of the same index (timings are recorded that way).
            long lastMacs = last is not null && s < last.Passes.Count ? last.Passes[s].MultiplyAdds : 0;
            stages.Add((full.Passes[s].Name, fullBands * full.Passes[s].MultiplyAdds + lastMacs));
        }
        stages.Add(("head", (long)MapSize(width) * mapHeight * LaDeDaSpec.FeatureChannels));
        return stages;
    }

    private static void Time(Span<double> stageSeconds, int stage, ref long t0)
    {
        if ((uint)stage >= (uint)stageSeconds.Length) return;
        long t1 = Stopwatch.GetTimestamp();
        stageSeconds[stage] += (t1 - t0) / (double)Stopwatch.Frequency;
        t0 = t1;
    }

    private static void RunPass(LaDeDaPass pass, LaDeDaCpuWorkspace workspace, LaDeDaWorkerPool pool, int helpers)
    {
        ILaDeDaParallelJob job;
        int items;
        if (pass.IsChain)
        {
            items = workspace.ChainJob.Set(pass, helpers + 1);
            job = workspace.ChainJob;
        }
        else
        {
            items = workspace.Job.Set(pass.Steps[0], helpers + 1);
            job = workspace.Job;
        }
        if (items == 1) job.Execute(0);
        else pool.Run(job, items, helpers);
    }

    /// <summary>
    /// Normalizes and filters the image rows under the band (plus two rows of context for the 3×3
    /// gradient filters, starting on an even row so NPR's 2×2 blocks line up), then gathers the
    /// stem's input pixels channels-last.
    /// </summary>
    private unsafe void Preprocess(LaDeDaCpuPlan plan, LaDeDaCpuWorkspace workspace, ReadOnlySpan<byte> rgb, int width, int height, int firstRow)
    {
        LaDeDaGrid input = plan.StemInput;
        int lo = Math.Max(0, firstRow + input.Rows[0] - 2) & ~1, hi = Math.Min(height, firstRow + input.Rows[^1] + 3);
        int rows = hi - lo, plane = rows * width;
        Span<float> planes = workspace.Planes;
        Span<float> normalized = planes[..(3 * plane)], filtered = planes.Slice(3 * plane, 3 * plane);
        ImageNetNormalizer.Best.Normalize(rgb.Slice(lo * width * 3, plane * 3), normalized);
        PreprocessKind kind = _weights.Preprocess;
        for (int c = 0; c < 3; c++)
        {
            Span<float> src = normalized.Slice(c * plane, plane), dst = filtered.Slice(c * plane, plane);
            switch (kind)
            {
                case PreprocessKind.Raw: src.CopyTo(dst); break;
                case PreprocessKind.Npr or PreprocessKind.NprTwoThirds: NprFilter.Best.Apply(src, dst, rows, width, NprFilter.Scale(kind)); break;
                default: GradientFilter.Best.Apply(GradientKernels.Taps(kind), src, dst, rows, width); break;
            }
        }
        Span<float> stem = workspace.SlotSpan(input.Slot, input.Floats);
        int cols = input.Cols.Length;
        for (int i = 0; i < input.Rows.Length; i++)
        {
            int y = firstRow + input.Rows[i] - lo;
            Span<float> r = filtered.Slice(y * width, plane - y * width), g = filtered.Slice(plane + y * width), b = filtered.Slice(2 * plane + y * width);
            Span<float> dst = stem.Slice(i * cols * 3, cols * 3);
            for (int j = 0; j < cols; j++)
            {
                int x = input.Cols[j];
                dst[3 * j] = r[x];
                dst[3 * j + 1] = g[x];
                dst[3 * j + 2] = b[x];
            }
        }
    }

    /// <summary>fc per patch (float32 dot product, bias in double), written to the map rows of the band; pooling sums in double.</summary>
    private void Head(LaDeDaCpuPlan plan, LaDeDaCpuWorkspace workspace, int mapWidth, int firstRow, Span<float> map, ref double sum, ref float max)
    {
        LaDeDaGrid output = plan.Output;
        ReadOnlySpan<float> features = workspace.SlotSpan(output.Slot, output.Floats);
        ReadOnlySpan<float> fc = _weights.Fc;
        for (int p = 0; p < output.Pixels; p++)
        {
            float logit = (float)(_weights.FcBias + TensorPrimitives.Dot(fc, features.Slice(p * output.Pitch, fc.Length)));
            sum += logit;
            if (logit > max) max = logit;
            if (!map.IsEmpty) map[firstRow * mapWidth + p] = logit;
        }
    }

    private static long PlaneFloats(LaDeDaCpuPlan plan, int width) => 2L * 3 * (plan.StemInput.Rows[^1] + 6) * width;

    /// <summary>Map rows per band: all of them unless the workspace would exceed the budget.</summary>
    private int BandRows(int width, int height)
    {
        lock (_lock)
            if (_bandRows.TryGetValue((width, height), out int cached)) return cached;
        int mapHeight = MapSize(height);
        int rows = mapHeight;
        var plan = Plan(width, rows);
        long floats = plan.SlotFloats.Sum() + PlaneFloats(plan, width);
        if (floats > _bandBudgetFloats)
            rows = (int)Math.Clamp(mapHeight * _bandBudgetFloats / floats, 1, mapHeight);
        lock (_lock)
        {
            if (_bandRows.Count >= MaxCachedPlans) _bandRows.Clear();
            _bandRows[(width, height)] = rows;
        }
        return rows;
    }

    private LaDeDaCpuPlan Plan(int width, int rows)
    {
        lock (_lock)
            if (_plans.TryGetValue((width, rows), out var cached)) return cached;
        var plan = LaDeDaCpuPlan.Build(_weights, width, rows, _chainChunkTiles);
        lock (_lock)
        {
            if (_plans.Count >= MaxCachedPlans) _plans.Clear();
            _plans[(width, rows)] = plan;
        }
        return plan;
    }

    private LaDeDaCpuWorkspace RentWorkspace()
    {
        lock (_lock)
            if (_workspaces.TryPop(out var workspace)) return workspace;
        return new LaDeDaCpuWorkspace(this);
    }

    private void ReturnWorkspace(LaDeDaCpuWorkspace workspace)
    {
        lock (_lock) _workspaces.Push(workspace);
    }
}
