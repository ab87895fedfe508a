using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;

namespace FastLaDeDa.Gpu;

/// <summary>Which accelerator the ILGPU engine runs on (the CLI's <c>--device auto|cpu|gpu</c>).</summary>
internal enum GpuDevicePreference
{
    /// <summary>CUDA when a device is present, otherwise ILGPU's CPU accelerator.</summary>
    Auto,
    /// <summary>CUDA only: the engine is unsupported (and Prepare fails clearly) without a device.</summary>
    Gpu,
    /// <summary>ILGPU's CPU accelerator: the same kernels run on simulated thread groups. Slow; for correctness checks on small inputs.</summary>
    Cpu,
}

/// <summary>
/// An ILGPU context and accelerator with LaDeDa's kernels compiled for it and the tile shape
/// that suits it. Owns both; dispose to release the device.
/// </summary>
internal sealed class GpuAccelerator : IDisposable
{
    private static readonly Lazy<(bool Available, string Description)> CudaProbe = new(ProbeCuda);

    private GpuAccelerator(Context context, Accelerator accelerator, int groupSide, int poolThreads)
    {
        Context = context;
        Accelerator = accelerator;
        GroupSide = groupSide;
        PoolThreads = poolThreads;
        Conv4 = LoadConv<ConvTile4>(accelerator);
        Conv8 = LoadConv<ConvTile8>(accelerator);
        Preprocess = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<byte>, ArrayView<float>, ArrayView<float>, ArrayView<float>, PreprocessShape>(PreprocessKernel.Run);
        Fc = accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<float>, ArrayView<double>, ArrayView<float>, int, int>(HeadKernels.Fc);
        Pool = accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<double>, int>(HeadKernels.Pool);
    }

    public Context Context { get; }

    public Accelerator Accelerator { get; }

    /// <summary>True on CUDA, false on the CPU accelerator.</summary>
    public bool IsCuda => Accelerator.AcceleratorType == AcceleratorType.Cuda;

    /// <summary>Threads per side of a convolution group (16 on CUDA: 64 × 64 tiles; 1 on the CPU accelerator: 4 × 4).</summary>
    public int GroupSide { get; }

    /// <summary>Threads of a pooling group (a power of two).</summary>
    public int PoolThreads { get; }

    /// <summary>The convolution kernel with 4 × 4 outputs per thread (<see cref="ConvTile4"/>).</summary>
    public ConvLauncher Conv4 { get; }

    public Action<Index1D, ArrayView<byte>, ArrayView<float>, ArrayView<float>, ArrayView<float>, PreprocessShape> Preprocess { get; }

    public Action<KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<double>, ArrayView<float>, int, int> Fc { get; }

    /// <summary>The convolution kernel with 8 × 8 outputs per thread (<see cref="ConvTile8"/>).</summary>
    public ConvLauncher Conv8 { get; }

    /// <summary>A loaded <see cref="ConvKernel.Run{TTile}"/>: kernel size, stride and ReLU are specialized values (one compilation per combination).</summary>
    internal delegate void ConvLauncher(KernelConfig config, ArrayView<float> input, ArrayView<float> weightsT, ArrayView<double> scale, ArrayView<double> shift,
        ArrayView<float> residual, ArrayView<float> output, ConvShape shape, SpecializedValue<int> kernel, SpecializedValue<int> stride, SpecializedValue<int> relu);

    private static ConvLauncher LoadConv<TTile>(Accelerator accelerator) where TTile : struct, IConvTile =>
        new(accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<float>, ArrayView<double>, ArrayView<double>, ArrayView<float>, ArrayView<float>, ConvShape,
            SpecializedValue<int>, SpecializedValue<int>, SpecializedValue<int>>(ConvKernel.Run<TTile>));

    public Action<KernelConfig, ArrayView<float>, ArrayView<double>, int> Pool { get; }

    /// <summary>Whether ILGPU finds a CUDA device (probed once per process).</summary>
    public static bool CudaAvailable => CudaProbe.Value.Available;

    /// <summary>The CUDA device found, or why none was.</summary>
    public static string CudaDescription => CudaProbe.Value.Description;

    /// <summary>The accelerator for <paramref name="preference"/>, or null when it asks for CUDA and there is none.</summary>
    /// <param name="preference">Which accelerator.</param>
    /// <param name="cpuGroupSide">Threads per group side on the CPU accelerator (1 by default: 4 × 4 tiles; tests also use 2, and 16 to exercise CUDA's 64 × 64 tiles).</param>
    public static GpuAccelerator? Create(GpuDevicePreference preference, int cpuGroupSide = 1)
    {
        if (cpuGroupSide is not (1 or 2 or 4 or 8 or 16)) throw new ArgumentOutOfRangeException(nameof(cpuGroupSide), cpuGroupSide, "1, 2, 4, 8 or 16");
        if (preference != GpuDevicePreference.Cpu && CudaAvailable)
        {
            var context = Context.Create(b => b.Cuda().Optimize(OptimizationLevel.O2).EnableAlgorithms().Profiling());
            try
            {
                var accelerator = context.GetCudaDevice(0).CreateAccelerator(context);
                return new GpuAccelerator(context, accelerator, 16, HeadKernels.MaxPoolThreads);
            }
            catch
            {
                context.Dispose();
                throw;
            }
        }
        if (preference == GpuDevicePreference.Gpu) return null;

        // Each simulated group is cpuGroupSide² OS threads meeting at every barrier; groups of one
        // thread (the default) make barriers free and run ~10× faster than 2 × 2 or 4 × 4 groups.
        int mps = Math.Max(1, Environment.ProcessorCount);
        int warp = Math.Max(2, cpuGroupSide);
        var device = new CPUDevice(warp, Math.Max(1, cpuGroupSide * cpuGroupSide / warp), mps);
        var cpuContext = Context.Create(b => b.CPU(device).Optimize(OptimizationLevel.O2).EnableAlgorithms().Profiling());
        try
        {
            var cpu = device.CreateCPUAccelerator(cpuContext, CPUAcceleratorMode.Parallel);
            return new GpuAccelerator(cpuContext, cpu, cpuGroupSide, Math.Min(HeadKernels.MaxPoolThreads, cpu.MaxNumThreadsPerGroup));
        }
        catch
        {
            cpuContext.Dispose();
            throw;
        }
    }

    private static (bool, string) ProbeCuda()
    {
        try
        {
            using var context = Context.Create(b => b.Cuda());
            var devices = context.GetCudaDevices();
            return devices.Count == 0 ? (false, "no CUDA device") : (true, devices[0].Name);
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or CudaException or AcceleratorException or InvalidOperationException or NotSupportedException)
        {
            return (false, $"no CUDA device ({e.GetType().Name}: {e.Message})");
        }
    }

    /// <summary>
    /// Outputs per thread and side for <paramref name="shape"/>: 8 (128 × 128 tiles on CUDA) for long
    /// reductions (K ≥ 256) over at least 128 output channels when that still gives every
    /// multiprocessor a group; else 4 (64 × 64 tiles). Measured on an H200 (kernels/README.md): the
    /// 8 × 8 kernel is 5–15 % faster there, and slower on short K (its 64 accumulators cost occupancy)
    /// or 64 channels (half of each tile idle).
    /// </summary>
    public int PerThreadFor(ConvShape shape)
    {
        if (shape.K < 256 || shape.OutChannels < 128) return 4;
        long tile = 8L * GroupSide;
        long groups = ((shape.M + tile - 1) / tile) * ((shape.OutChannels + tile - 1) / tile);
        return groups >= Accelerator.NumMultiprocessors ? 8 : 4;
    }

    /// <summary>Launches a convolution kernel for <paramref name="shape"/>: 4 or 8 outputs per thread and side (null: <see cref="PerThreadFor"/>).</summary>
    public void LaunchConv(ArrayView<float> input, ArrayView<float> weightsT, ArrayView<double> scale, ArrayView<double> shift,
        ArrayView<float> residual, ArrayView<float> output, ConvShape shape, int? perThread = null)
    {
        int per = perThread ?? PerThreadFor(shape);
        int tile = per * GroupSide;
        var grid = new Index2D((shape.M + tile - 1) / tile, (shape.OutChannels + tile - 1) / tile);
        var config = new KernelConfig(grid, new Index2D(GroupSide, GroupSide));
        (per == 8 ? Conv8 : Conv4)(config, input, weightsT, scale, shift, residual, output, shape,
            SpecializedValue.New(shape.Kernel), SpecializedValue.New(shape.Stride), SpecializedValue.New(shape.Relu));
    }

    /// <summary>Launches the fc head over <paramref name="positions"/> map positions.</summary>
    public void LaunchFc(ArrayView<float> features, ArrayView<float> fc, ArrayView<double> bias, ArrayView<float> logits, int channels, int positions)
    {
        int threads = Math.Min(HeadKernels.FcPositions * HeadKernels.FcSplits, Accelerator.MaxNumThreadsPerGroup);
        int gx = Math.Min(HeadKernels.FcPositions, threads), gy = Math.Min(HeadKernels.FcSplits, threads / gx);
        Fc(new KernelConfig(new Index2D((positions + gx - 1) / gx, 1), new Index2D(gx, gy)), features, fc, bias, logits, channels, positions);
    }

    public void Dispose()
    {
        Accelerator.Dispose();
        Context.Dispose();
    }
}
