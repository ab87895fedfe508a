using FastLaDeDa.Engines.Cpu.LaDeDa;
using FastLaDeDa.Engines.Cpu;
using FastLaDeDa.Errors;
using FastLaDeDa.Models;
using FastLaDeDa.Preprocessing;

namespace FastLaDeDa.Engines;

/// <summary>
/// The engine names <see cref="Detection.DetectorOptions.Engine"/> accepts and what each runs.
/// Every engine is named <c>MODEL-BACKEND</c> (<c>tiny-avx512</c>, <c>ladeda-cuda</c>, ...); the
/// generic <c>auto</c>, <c>cpu</c> and <c>cuda</c> resolve per model when the weights are known.
/// The names engines had before (<c>fused-vector512</c>, <c>ladeda-cpu-vector256</c>, ...) still
/// resolve, so older scripts keep working.
/// </summary>
internal static class EngineCatalog
{
    /// <summary>CUDA for LaDeDa when FastLaDeDa.Gpu and a device are present, else the widest CPU engine.</summary>
    public const string Auto = "auto";

    /// <summary>The widest CPU engine the hardware accelerates, for either model.</summary>
    public const string Cpu = "cpu";

    /// <summary>LaDeDa on CUDA (an error without it); Tiny-LaDeDa has no GPU engine and runs as <see cref="Cpu"/>.</summary>
    public const string Cuda = "cuda";

    /// <summary>The ILGPU engine on CUDA (FastLaDeDa.Gpu).</summary>
    public const string LaDeDaCuda = "ladeda-cuda";

    /// <summary>An old name kept as an alias: the widest LaDeDa CPU engine (not listed in <see cref="Names"/>).</summary>
    internal const string LaDeDaWidestCpu = "ladeda-cpu";

    /// <summary>
    /// Every name, generic first, then Tiny-LaDeDa's and LaDeDa's engines widest first — taken from
    /// the engines themselves, so a new engine is listed by being registered.
    /// </summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        Auto, Cpu, Cuda,
        .. TinyLaDeDaEngines.Fused.Select(e => e.Name), TinyLaDeDaEngines.Reference.Name,
        .. LaDeDaEngines.Cpu.Select(e => e.Name), LaDeDaEngines.Reference.Name, LaDeDaCuda,
    ];

    /// <summary>The names engines had before one pattern named them all.</summary>
    private static readonly Dictionary<string, string> OldNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["fused-vector512"] = "tiny-avx512",
        ["fused-vector256"] = "tiny-avx2",
        ["fused-scalar"] = "tiny-scalar",
        ["reference"] = "tiny-reference",
        ["ladeda-cpu-vector512"] = "ladeda-avx512",
        ["ladeda-cpu-vector256"] = "ladeda-avx2",
        ["ladeda-cpu-scalar"] = "ladeda-scalar",
        ["ladeda-ilgpu-cuda"] = LaDeDaCuda,
        ["ladeda-cpu"] = LaDeDaWidestCpu,
    };

    /// <summary>The current lower-case name for <paramref name="name"/> (an old name maps to its new one); unknown names come back lower-cased.</summary>
    public static string Canonical(string name)
    {
        string lower = name.Trim().ToLowerInvariant();
        return OldNames.TryGetValue(lower, out var current) ? current : lower;
    }

    /// <summary>Whether <paramref name="name"/> is a current or old engine name.</summary>
    public static bool IsKnown(string name)
    {
        string canonical = Canonical(name);
        return canonical == LaDeDaWidestCpu || Names.Contains(canonical);
    }

    /// <summary>
    /// Why <paramref name="name"/> cannot be used on this machine whatever the weights hold (an
    /// unknown name, or a CPU engine whose SIMD width is not accelerated), or null when it may.
    /// </summary>
    public static string? WhyUnusable(string name)
    {
        if (!IsKnown(name)) return UnknownMessage(name);
        string canonical = Canonical(name);
        bool supported = canonical.StartsWith("tiny-", StringComparison.Ordinal)
            ? TinyLaDeDaEngines.ByName(canonical)!.IsSupported
            : LaDeDaEngines.ByName(canonical)?.IsSupported ?? true; // ladeda-cuda and the generic names are decided at load
        return supported ? null : $"engine '{name}' is not supported on this machine; supported CPU engines: {string.Join(", ", SupportedCpuNames())}";
    }

    /// <summary>
    /// The Tiny-LaDeDa engine <paramref name="name"/> stands for. The generic names pick the widest
    /// CPU engine (Tiny-LaDeDa has no GPU engine).
    /// </summary>
    /// <exception cref="ArgumentException">The name is unknown.</exception>
    /// <exception cref="ModelMismatchException">The name is a LaDeDa engine's.</exception>
    /// <exception cref="PlatformNotSupportedException">The engine's SIMD width is not accelerated here.</exception>
    public static ITinyLaDeDaEngine ForTiny(string name, string? weightsPath)
    {
        string canonical = Resolve(name);
        if (canonical is Auto or Cpu or Cuda) return TinyLaDeDaEngines.Best;
        var engine = TinyLaDeDaEngines.ByName(canonical)
            ?? throw new ModelMismatchException(weightsPath, $"engine {name} runs LaDeDa; these weights hold Tiny-LaDeDa (Tiny-LaDeDa engines: {string.Join(", ", Names.Where(n => n.StartsWith("tiny-", StringComparison.Ordinal)))})");
        return Supported(engine.IsSupported, engine, name);
    }

    /// <summary>
    /// The LaDeDa engine <paramref name="name"/> stands for; <paramref name="threadsPerImage"/>
    /// limits a CPU engine's threads (null: one per core).
    /// </summary>
    /// <exception cref="ArgumentException">The name is unknown.</exception>
    /// <exception cref="ModelMismatchException">The name is a Tiny-LaDeDa engine's.</exception>
    /// <exception cref="GpuUnavailableException"><c>cuda</c> or <c>ladeda-cuda</c> without FastLaDeDa.Gpu or a CUDA device.</exception>
    /// <exception cref="PlatformNotSupportedException">The engine's SIMD width is not accelerated here.</exception>
    public static ILaDeDaEngine ForLaDeDa(string name, int? threadsPerImage, string? weightsPath)
    {
        string canonical = Resolve(name);
        switch (canonical)
        {
            case Auto when CudaBackendLocator.Backend is { IsAvailable: true } backend:
                return backend.Engine;
            case Auto or Cpu or LaDeDaWidestCpu:
                return WithThreads(LaDeDaCpuEngine.Best, threadsPerImage);
            case Cuda or LaDeDaCuda:
                var cuda = CudaBackendLocator.Backend
                    ?? throw new GpuUnavailableException($"engine {name} needs CUDA, but {CudaBackendLocator.WhyMissing}");
                return cuda.IsAvailable ? cuda.Engine : throw new GpuUnavailableException($"engine {name} needs CUDA: {cuda.Description}");
        }
        var engine = LaDeDaEngines.ByName(canonical)
            ?? throw new ModelMismatchException(weightsPath, $"engine {name} runs Tiny-LaDeDa; these weights hold LaDeDa (LaDeDa engines: {string.Join(", ", Names.Where(n => n.StartsWith("ladeda-", StringComparison.Ordinal)))})");
        return Supported(engine.IsSupported, engine is LaDeDaCpuEngine cpu ? WithThreads(cpu, threadsPerImage) : engine, name);
    }

    private static ILaDeDaEngine WithThreads(LaDeDaCpuEngine engine, int? threadsPerImage) =>
        threadsPerImage is { } n ? engine.WithMaxThreads(n) : engine;

    private static string Resolve(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return IsKnown(name) ? Canonical(name) : throw new ArgumentException(UnknownMessage(name), nameof(Detection.DetectorOptions.Engine));
    }

    private static T Supported<T>(bool supported, T engine, string name) => supported ? engine
        : throw new PlatformNotSupportedException($"engine {name} is not supported on this machine (its SIMD width is not accelerated, or DOTNET_EnableAVX512 / DOTNET_EnableAVX2 is 0); supported CPU engines: {string.Join(", ", SupportedCpuNames())}");

    private static string UnknownMessage(string name) => $"unknown engine '{name}'; valid names: {string.Join(", ", Names)}";

    private static IEnumerable<string> SupportedCpuNames() =>
        TinyLaDeDaEngines.Fused.Where(e => e.IsSupported).Select(e => e.Name).Append(TinyLaDeDaEngines.Reference.Name)
            .Concat(LaDeDaEngines.Cpu.Where(e => e.IsSupported).Select(e => e.Name)).Append(LaDeDaEngines.Reference.Name);
}
