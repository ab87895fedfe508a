using FastLaDeDa.Engines.Cpu.LaDeDa;
using FastLaDeDa.Engines.Cpu;
using FastLaDeDa.Engines.Reference;

namespace FastLaDeDa.Engines;

/// <summary>The LaDeDa engines this library has, and the pick for this machine.</summary>
internal static class LaDeDaEngines
{
    /// <summary>The float64 reference engine (slow: small images only).</summary>
    public static ILaDeDaEngine Reference => LaDeDaReferenceEngine.Instance;

    /// <summary>The CPU engines, widest first (all cores each).</summary>
    public static IReadOnlyList<LaDeDaCpuEngine> Cpu { get; } =
        [new LaDeDaCpuEngine(LaDeDaCpuIsa.Vector512), new LaDeDaCpuEngine(LaDeDaCpuIsa.Vector256), new LaDeDaCpuEngine(LaDeDaCpuIsa.Vector128), new LaDeDaCpuEngine(LaDeDaCpuIsa.Scalar)];

    /// <summary>
    /// The CPU engine at the widest width the hardware accelerates, honouring <c>DOTNET_EnableAVX512=0</c>
    /// and <c>DOTNET_EnableAVX2=0</c>.
    /// </summary>
    public static ILaDeDaEngine Best => LaDeDaCpuEngine.Best;

    /// <summary>
    /// Finds a CPU or reference engine by <see cref="ILaDeDaEngine.Name"/> or a name it had before
    /// (<see cref="EngineCatalog"/>; case-insensitive); <c>ladeda-cpu</c> is the widest supported CPU engine.
    /// </summary>
    public static ILaDeDaEngine? ByName(string name)
    {
        name = EngineCatalog.Canonical(name);
        if (name == EngineCatalog.LaDeDaWidestCpu) return LaDeDaCpuEngine.Best;
        return Cpu.Cast<ILaDeDaEngine>().Append(Reference).FirstOrDefault(e => e.Name == name);
    }
}
