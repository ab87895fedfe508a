using FastLaDeDa.Engines;
using FastLaDeDa.Models;
using FastLaDeDa.Preprocessing;
using ILGPU;
using ILGPU.Runtime;

namespace FastLaDeDa.Gpu;

/// <summary>Time and work of one kernel launch in a profiled run.</summary>
/// <param name="Name">The layer, e.g. <c>layer2.0.conv2</c>.</param>
/// <param name="Milliseconds">Device time between the markers around the launch.</param>
/// <param name="MultiplyAdds">Multiply-adds of the launch (0 for the preprocessing and pooling).</param>
internal readonly record struct LayerTiming(string Name, double Milliseconds, long MultiplyAdds);

/// <summary>
/// LaDeDa bound to an ILGPU accelerator: every weight uploaded once (transposed to K × N), BatchNorm
/// scale and shift as double, the preprocessing table and taps, the fc head. Activations are
/// planar <c>[channel][batch][y][x]</c> float32 in four device buffers allocated once per
/// (input size, batch) and reused; the two most recent sizes are kept. Thread-safe: runs are
/// serialised (the device runs one at a time anyway). Dispose to release the device memory.
/// </summary>
internal sealed class LaDeDaGpuNetwork : IPatchNetwork, IDisposable
{
    private const int KeptWorkspaces = 2;

    private readonly GpuAccelerator _gpu;
    private readonly LaDeDaModel _model;
    private readonly PreprocessMode _mode;
    private readonly float _preScale;
    private readonly MemoryBuffer1D<float, Stride1D.Dense> _weights, _table, _taps, _fc, _none;
    private readonly MemoryBuffer1D<double, Stride1D.Dense> _scale, _shift, _fcBias;
    private readonly LaDeDaGraph _graph;
    private readonly ConvSlot[] _slots;
    private readonly List<Workspace> _workspaces = [];
    private readonly object _gate = new();
    private readonly Action<LaDeDaGpuNetwork>? _disposedCallback;
    private bool _disposed;

    /// <summary>Where one node's weights and BatchNorm live in the device buffers.</summary>
    private sealed record ConvSlot(LaDeDaNode Node, LaDeDaConv Conv, int WeightOffset, int ChannelOffset);

    /// <summary>One convolution of a run: shape and buffers (indices into the activation buffers; −1: no residual).</summary>
    private sealed record ConvStep(ConvSlot Slot, ConvShape Shape, int Input, int Output, int Residual);

    internal LaDeDaGpuNetwork(GpuAccelerator gpu, string engineName, LaDeDaModel model, PreprocessKind preprocess, Action<LaDeDaGpuNetwork>? disposed = null)
    {
        _gpu = gpu;
        _disposedCallback = disposed;
        _model = model;
        EngineName = engineName;
        Preprocess = preprocess;
        (_mode, _preScale, float[] taps) = PreprocessKernel.Describe(preprocess);

        // Lay every node's convolution out in one weight buffer (K × N each) and one scale/shift
        // pair: slots first (offsets are running sums), then one array of each, filled in place.
        _graph = model.Spec.FusedGraph;
        _slots = new ConvSlot[_graph.Nodes.Count];
        int weightCount = 0, channelCount = 0;
        foreach (var node in _graph.Nodes)
        {
            var conv = model.Conv(node);
            _slots[node.Index] = new ConvSlot(node, conv, weightCount, channelCount);
            weightCount += conv.Weights.Length;
            channelCount += conv.OutChannels;
        }

        var allocated = new List<IDisposable>();
        long bytes = weightCount * 4L + channelCount * 16L + (256 * 3 + 9 + LaDeDaSpec.FeatureChannels + 1) * 4L + 8;
        try
        {
            CheckFits(bytes, "the LaDeDa weights");
            var weights = new float[weightCount];
            var scale = new double[channelCount];
            var shift = new double[channelCount];
            foreach (var slot in _slots)
            {
                var conv = slot.Conv;
                int n = conv.OutChannels;
                ConvKernel.TransposeToKxN(conv.Weights, n, weights.AsSpan(slot.WeightOffset, conv.Weights.Length));
                conv.Scale.CopyTo(scale.AsSpan(slot.ChannelOffset, n));
                conv.Shift.CopyTo(shift.AsSpan(slot.ChannelOffset, n));
            }
            _weights = Upload(weights, allocated);
            _scale = Upload(scale, allocated);
            _shift = Upload(shift, allocated);
            _table = Upload(PreprocessKernel.NormalizationTable(), allocated);
            _taps = Upload(taps, allocated);
            _fc = Upload(model.Fc.ToArray(), allocated);
            _fcBias = Upload([model.FcBias], allocated);
            _none = Upload(new float[1], allocated);
        }
        catch (Exception e)
        {
            foreach (var buffer in allocated) buffer.Dispose();
            if (IsOutOfMemory(e)) throw OutOfMemory("the LaDeDa weights", bytes, e);
            throw;
        }
    }

    /// <inheritdoc />
    public string EngineName { get; }

    /// <summary>The preprocessing filter applied after normalization.</summary>
    public PreprocessKind Preprocess { get; }

    /// <inheritdoc />
    public int MinimumInputSize => _model.Spec.ReceptiveField;

    /// <inheritdoc />
    public int Stride => LaDeDaSpec.Stride;

    /// <inheritdoc />
    public int ReceptiveField => _model.Spec.ReceptiveField;

    /// <summary>The accelerator's name (e.g. the GPU model).</summary>
    public string DeviceName => _gpu.Accelerator.Name;

    /// <inheritdoc />
    public int MapSize(int inputSize) => _model.MapSize(inputSize);

    /// <inheritdoc />
    public PatchPooling Run(ReadOnlySpan<byte> rgb, int width, int height, Span<float> map)
    {
        this.Validate(rgb, width, height, map);
        Span<PatchPooling> pooled = stackalloc PatchPooling[1];
        RunChecked(rgb, 1, width, height, map, pooled);
        return pooled[0];
    }

    /// <summary>
    /// Scores <paramref name="count"/> images of the same size at once: <paramref name="rgb"/> holds
    /// them one after another (width × height × 3 bytes each); <paramref name="maps"/> receives
    /// their patch maps one after another (or is empty); <paramref name="pooled"/> receives each
    /// image's mean and max logit. The same numbers as <paramref name="count"/> single runs.
    /// </summary>
    public void RunBatch(ReadOnlySpan<byte> rgb, int count, int width, int height, Span<float> maps, Span<PatchPooling> pooled)
    {
        ValidateBatch(rgb.Length, count, width, height);
        if (pooled.Length != count) throw new ArgumentException($"pooled must hold {count} values, got {pooled.Length}", nameof(pooled));
        int cells = MapSize(width) * MapSize(height);
        if (!maps.IsEmpty && maps.Length != (long)cells * count) throw new ArgumentException($"maps must hold {(long)cells * count} values (or be empty), got {maps.Length}", nameof(maps));
        RunChecked(rgb, count, width, height, maps, pooled);
    }

    /// <summary>The checks a batch's sizes must pass (a single run's are <see cref="PatchNetworkExtensions.Validate"/>).</summary>
    private void ValidateBatch(long rgbLength, int count, int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        int min = MinimumInputSize;
        if (width < min || height < min) throw new ArgumentException($"{EngineName} needs at least {min}x{min} pixels, got {width}x{height}");
        long imageBytes = (long)width * height * 3;
        if (rgbLength != imageBytes * count) throw new ArgumentException($"expected {imageBytes * count} RGB bytes for {count} images of {width}x{height}, got {rgbLength}", "rgb");
    }

    /// <summary>One run on arguments already checked.</summary>
    private void RunChecked(ReadOnlySpan<byte> rgb, int count, int width, int height, Span<float> maps, Span<PatchPooling> pooled)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var ws = WorkspaceFor(width, height, count);
            Execute(ws, rgb, null);
            if (!maps.IsEmpty) ws.Logits.View.AsContiguous().CopyToCPU(maps);
            double[] results = ws.PooledOnHost;
            ws.Pooled.View.AsContiguous().CopyToCPU(results.AsSpan());
            for (int b = 0; b < count; b++) pooled[b] = new PatchPooling(results[2 * b], results[2 * b + 1]);
        }
    }

    /// <summary>Scores several images of one size at once (see the span overload); returns each image's pooled logits.</summary>
    public PatchPooling[] RunBatch(IReadOnlyList<Imaging.Rgb24Image> images, Span<float> maps = default)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.Count == 0) return [];
        int width = images[0].Width, height = images[0].Height;
        if (images.Any(i => i.Width != width || i.Height != height)) throw new ArgumentException("all images of a batch must have the same size", nameof(images));
        var rgb = new byte[(long)width * height * 3 * images.Count];
        for (int i = 0; i < images.Count; i++) images[i].Pixels.CopyTo(rgb.AsSpan(i * width * height * 3));
        var pooled = new PatchPooling[images.Count];
        RunBatch(rgb, images.Count, width, height, maps, pooled);
        return pooled;
    }

    /// <summary>
    /// Runs a batch with a device-time marker around every launch and returns the time of each
    /// (preprocessing, every convolution, fc, pooling), in order.
    /// </summary>
    public IReadOnlyList<LayerTiming> Profile(ReadOnlySpan<byte> rgb, int count, int width, int height)
    {
        ValidateBatch(rgb.Length, count, width, height);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var ws = WorkspaceFor(width, height, count);
            var timings = new List<LayerTiming>();
            Execute(ws, rgb, timings);
            return timings;
        }
    }

    /// <summary>Device bytes the activations of one (width, height, batch) take.</summary>
    public long WorkspaceBytes(int width, int height, int batch) => Plan(width, height, batch).Bytes;

    private void Execute(Workspace ws, ReadOnlySpan<byte> rgb, List<LayerTiming>? timings)
    {
        var stream = _gpu.Accelerator.DefaultStream;
        // Markers only when profiling; local functions (never delegates) so a plain run allocates nothing.
        var marks = timings is null ? null : new List<(string Name, long Macs, ProfilingMarker Start, ProfilingMarker End)>();
        ProfilingMarker? Begin() => marks is null ? null : stream.AddProfilingMarker();
        void End(string name, long macs, ProfilingMarker? start)
        {
            if (marks is not null) marks.Add((name, macs, start!, stream.AddProfilingMarker()));
        }

        ws.Rgb.View.AsContiguous().CopyFromCPU(rgb);
        var pre = new PreprocessShape { Batch = ws.Batch, Height = ws.Height, Width = ws.Width, Mode = (int)_mode, Scale = _preScale };
        var mark = Begin();
        _gpu.Preprocess(3 * ws.Batch * ws.Height * ws.Width, ws.Rgb.View, _table.View, _taps.View, ws.Activations[0].View, pre);
        End("preprocess", 0, mark);
        foreach (var step in ws.Steps)
        {
            var slot = step.Slot;
            int k = step.Shape.K, n = step.Shape.OutChannels;
            mark = Begin();
            _gpu.LaunchConv(
                ws.Activations[step.Input].View,
                _weights.View.SubView(slot.WeightOffset, (long)k * n),
                _scale.View.SubView(slot.ChannelOffset, n),
                _shift.View.SubView(slot.ChannelOffset, n),
                step.Residual < 0 ? _none.View : ws.Activations[step.Residual].View,
                ws.Activations[step.Output].View,
                step.Shape);
            End(slot.Node.Name, step.Shape.MultiplyAdds, mark);
        }
        int positions = ws.Batch * ws.MapHeight * ws.MapWidth;
        mark = Begin();
        _gpu.LaunchFc(ws.Activations[ws.Features].View, _fc.View, _fcBias.View, ws.Logits.View, LaDeDaSpec.FeatureChannels, positions);
        End("fc", (long)positions * LaDeDaSpec.FeatureChannels, mark);
        mark = Begin();
        _gpu.Pool(new KernelConfig(ws.Batch, _gpu.PoolThreads), ws.Logits.View, ws.Pooled.View, ws.MapHeight * ws.MapWidth);
        End("pool", 0, mark);
        _gpu.Accelerator.Synchronize();

        if (timings is null || marks is null) return;
        foreach (var (name, macs, start, end) in marks)
        {
            timings.Add(new LayerTiming(name, (end - start).TotalMilliseconds, macs));
            start.Dispose();
            end.Dispose();
        }
    }

    /// <summary>The launches and buffer sizes for one (width, height, batch).</summary>
    private sealed record RunPlan(List<ConvStep> Steps, long ActivationLength, int Buffers, int Features, long Bytes);

    /// <summary>
    /// The graph's nodes as launches on <paramref name="batch"/> images of <paramref name="width"/> ×
    /// <paramref name="height"/>: every value gets an activation buffer that holds no value still to
    /// be read (a node never writes a buffer it reads), so a bottleneck needs four.
    /// </summary>
    private RunPlan Plan(int width, int height, int batch)
    {
        var nodes = _graph.Nodes;
        int[] hs = _graph.Sizes(height), ws = _graph.Sizes(width);
        var buffer = new int[nodes.Count + 1];
        int buffers = 1;
        long largest = 3L * batch * height * width;
        var steps = new List<ConvStep>();
        foreach (var node in nodes)
        {
            int free = 0;
            while (Enumerable.Range(0, node.Output).Any(v => buffer[v] == free && _graph.Consumers(v).Any(c => c.Index >= node.Index))) free++;
            buffer[node.Output] = free;
            buffers = Math.Max(buffers, free + 1);
            var shape = ConvShape.For(_slots[node.Index].Conv, batch, hs[node.Input], ws[node.Input], node.Relu);
            if (node.Residual >= 0) shape = shape.WithResidual(hs[node.Residual], ws[node.Residual]);
            steps.Add(new ConvStep(_slots[node.Index], shape, buffer[node.Input], free, node.Residual < 0 ? -1 : buffer[node.Residual]));
            largest = Math.Max(largest, shape.OutputLength);
        }
        long cells = (long)batch * hs[_graph.Output] * ws[_graph.Output];
        long bytes = largest * 4 * buffers + (long)batch * height * width * 3 + cells * 4 + batch * 16L;
        if (largest > int.MaxValue)
            throw new GpuOutOfMemoryException($"a batch of {batch} images of {width}x{height} needs activation tensors of {largest:N0} floats, over the kernels' 32-bit indexing limit of {int.MaxValue:N0}: use a smaller batch",
                bytes, _gpu.Accelerator.MemorySize);
        return new RunPlan(steps, largest, buffers, buffer[_graph.Output], bytes);
    }

    private Workspace WorkspaceFor(int width, int height, int batch)
    {
        // A plain loop, not FindIndex: a capturing lambda would allocate on every run.
        for (int index = 0; index < _workspaces.Count; index++)
        {
            var hit = _workspaces[index];
            if (hit.Width != width || hit.Height != height || hit.Batch != batch) continue;
            _workspaces.RemoveAt(index);
            _workspaces.Insert(0, hit);
            return hit;
        }
        var plan = Plan(width, height, batch);
        string what = $"the activations of a batch of {batch} image(s) of {width}x{height}";
        // Make room first: the evicted workspace's memory may be what this one needs.
        while (_workspaces.Count >= KeptWorkspaces)
        {
            _workspaces[^1].Dispose();
            _workspaces.RemoveAt(_workspaces.Count - 1);
        }
        CheckFits(plan.Bytes, what);
        var ws = new Workspace(width, height, batch, MapSize(height), MapSize(width), plan.Steps, plan.Buffers, plan.Features);
        try
        {
            ws.Allocate(_gpu.Accelerator, plan.ActivationLength);
        }
        catch (Exception e) when (IsOutOfMemory(e))
        {
            ws.Dispose();
            throw OutOfMemory(what, plan.Bytes, e);
        }
        catch
        {
            ws.Dispose();
            throw;
        }
        _workspaces.Insert(0, ws);
        return ws;
    }

    private void CheckFits(long bytes, string what)
    {
        long device = _gpu.Accelerator.MemorySize;
        if (device > 0 && bytes > device) throw OutOfMemory(what, bytes, null);
    }

    private GpuOutOfMemoryException OutOfMemory(string what, long bytes, Exception? inner) =>
        new($"out of GPU memory: {what} need {bytes / (1024.0 * 1024):N1} MiB on {_gpu.Accelerator.Name} ({_gpu.Accelerator.MemorySize / (1024.0 * 1024):N0} MiB); use a smaller batch or input, or the CPU engine",
            bytes, _gpu.Accelerator.MemorySize, inner);

    /// <summary>Whether <paramref name="e"/> (or an exception inside it) is the host or CUDA running out of memory: by CUDA's error code (ILGPU keeps the <c>CudaError</c> name in <c>Error</c>), not its message.</summary>
    internal static bool IsOutOfMemory(Exception e) =>
        e is OutOfMemoryException
        || e is ILGPU.Runtime.Cuda.CudaException { Error: nameof(ILGPU.Runtime.Cuda.CudaError.CUDA_ERROR_OUT_OF_MEMORY) }
        || (e.InnerException is { } inner && IsOutOfMemory(inner));

    private MemoryBuffer1D<T, Stride1D.Dense> Upload<T>(T[] data, List<IDisposable> allocated) where T : unmanaged
    {
        var buffer = _gpu.Accelerator.Allocate1D<T>(Math.Max(1, data.Length));
        allocated.Add(buffer);
        if (data.Length > 0) buffer.View.SubView(0, data.Length).CopyFromCPU(data);
        return buffer;
    }

    /// <summary>Releases the device memory (weights and activations). The engine's accelerator stays.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            foreach (var ws in _workspaces) ws.Dispose();
            _workspaces.Clear();
            foreach (var buffer in new MemoryBuffer[] { _weights, _scale, _shift, _table, _taps, _fc, _fcBias, _none }) buffer.Dispose();
        }
        // Outside this network's lock: the engine takes its own (never the other way round).
        _disposedCallback?.Invoke(this);
    }

    /// <summary>The device buffers and launch plan of one (width, height, batch).</summary>
    private sealed class Workspace(int width, int height, int batch, int mapHeight, int mapWidth, List<ConvStep> steps, int buffers, int features) : IDisposable
    {
        public int Width { get; } = width;
        public int Height { get; } = height;
        public int Batch { get; } = batch;
        public int MapHeight { get; } = mapHeight;
        public int MapWidth { get; } = mapWidth;
        public List<ConvStep> Steps { get; } = steps;
        public int Features { get; } = features;
        public MemoryBuffer1D<byte, Stride1D.Dense> Rgb { get; private set; } = null!;
        public MemoryBuffer1D<float, Stride1D.Dense>[] Activations { get; } = new MemoryBuffer1D<float, Stride1D.Dense>[buffers];
        public MemoryBuffer1D<float, Stride1D.Dense> Logits { get; private set; } = null!;
        public MemoryBuffer1D<double, Stride1D.Dense> Pooled { get; private set; } = null!;

        /// <summary>Host copy of <see cref="Pooled"/> (mean, max per image), reused by every run.</summary>
        public double[] PooledOnHost { get; } = new double[2 * batch];

        public void Allocate(Accelerator accelerator, long activationLength)
        {
            Rgb = accelerator.Allocate1D<byte>((long)Batch * Height * Width * 3);
            for (int i = 0; i < Activations.Length; i++) Activations[i] = accelerator.Allocate1D<float>(activationLength);
            Logits = accelerator.Allocate1D<float>((long)Batch * MapHeight * MapWidth);
            Pooled = accelerator.Allocate1D<double>(2L * Batch);
        }

        public void Dispose()
        {
            Rgb?.Dispose();
            foreach (var a in Activations) a?.Dispose();
            Logits?.Dispose();
            Pooled?.Dispose();
        }
    }
}
