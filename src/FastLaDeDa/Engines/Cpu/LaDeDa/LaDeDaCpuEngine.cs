using FastLaDeDa.Models;
using FastLaDeDa.Preprocessing;

namespace FastLaDeDa.Engines.Cpu.LaDeDa;

/// <summary>
/// LaDeDa on the CPU: channels-last activations, every convolution a GEMM on a register-blocked
/// SIMD micro-kernel (<see cref="Isa"/>: Vector512, Vector256, Vector128 or scalar) with packed weights, fused
/// BatchNorm/residual/ReLU, only the positions some patch logit depends on, and up to
/// <see cref="MaxThreads"/> threads per image. See <see cref="LaDeDaCpuNetwork"/>.
/// </summary>
internal sealed class LaDeDaCpuEngine : ILaDeDaEngine
{
    private readonly ILaDeDaConvKernels _kernels;

    /// <summary>An engine at <paramref name="isa"/> using up to <paramref name="maxThreads"/> threads per image (0: one per core).</summary>
    public LaDeDaCpuEngine(LaDeDaCpuIsa isa, int maxThreads = 0)
        : this(LaDeDaConvKernels.For(isa), isa, maxThreads) { }

    internal LaDeDaCpuEngine(ILaDeDaConvKernels kernels, LaDeDaCpuIsa isa, int maxThreads)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxThreads);
        _kernels = kernels;
        Isa = isa;
        MaxThreads = maxThreads == 0 ? Environment.ProcessorCount : maxThreads;
    }

    /// <summary>The widest width this process accelerates, all cores.</summary>
    public static LaDeDaCpuEngine Best { get; } = new(WidestSupported());

    /// <summary>The register width of the micro-kernel.</summary>
    public LaDeDaCpuIsa Isa { get; }

    /// <summary>Threads one image uses at most (the calling thread included).</summary>
    public int MaxThreads { get; }

    /// <inheritdoc />
    public string Name => Isa switch
    {
        LaDeDaCpuIsa.Vector512 => "ladeda-avx512",
        LaDeDaCpuIsa.Vector256 => "ladeda-avx2",
        LaDeDaCpuIsa.Vector128 => "ladeda-vector128",
        _ => "ladeda-scalar",
    };

    /// <inheritdoc />
    public bool IsSupported => _kernels.IsSupported;

    /// <summary>The same engine with another thread limit.</summary>
    public LaDeDaCpuEngine WithMaxThreads(int maxThreads) => new(_kernels, Isa, maxThreads);

    /// <inheritdoc />
    public IPatchNetwork Prepare(LaDeDaModel model, PreprocessKind preprocess) => PrepareNetwork(model, preprocess);

    /// <summary><see cref="Prepare"/> with the concrete type (per-stage timings, thread limit).</summary>
    public LaDeDaCpuNetwork PrepareNetwork(LaDeDaModel model, PreprocessKind preprocess)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!IsSupported) throw new PlatformNotSupportedException($"the {Name} engine is not supported on this machine");
        return new LaDeDaCpuNetwork(Name, new LaDeDaCpuWeights(model, preprocess, _kernels.PanelWidth), _kernels, MaxThreads);
    }

    private static LaDeDaCpuIsa WidestSupported() =>
        LaDeDaConvKernels.For(LaDeDaCpuIsa.Vector512).IsSupported ? LaDeDaCpuIsa.Vector512
        : LaDeDaConvKernels.For(LaDeDaCpuIsa.Vector256).IsSupported ? LaDeDaCpuIsa.Vector256
        : LaDeDaConvKernels.For(LaDeDaCpuIsa.Vector128).IsSupported ? LaDeDaCpuIsa.Vector128
        : LaDeDaCpuIsa.Scalar;
}
