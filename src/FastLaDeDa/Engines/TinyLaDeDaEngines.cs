using FastLaDeDa.Engines.Cpu.Tiny;
using FastLaDeDa.Engines.Cpu;
using FastLaDeDa.Engines.Reference;

namespace FastLaDeDa.Engines;

/// <summary>The Tiny-LaDeDa engines this library has, and the pick for this machine.</summary>
internal static class TinyLaDeDaEngines
{
    /// <summary>The float64 reference engine.</summary>
    public static ITinyLaDeDaEngine Reference => TinyLaDeDaReferenceEngine.Instance;

    /// <summary>The fused engines, widest first.</summary>
    public static IReadOnlyList<TinyLaDeDaFusedEngine> Fused { get; } =
        [new TinyLaDeDaFusedVector512(), new TinyLaDeDaFusedVector256(), new TinyLaDeDaFusedVector128(), new TinyLaDeDaFusedScalar()];

    /// <summary>
    /// The widest fused engine the hardware accelerates (Vector128 on ARM64), honouring
    /// <c>DOTNET_EnableAVX512=0</c>, <c>DOTNET_EnableAVX2=0</c> and <c>DOTNET_PreferredVectorBitWidth</c>
    /// (see <see cref="Simd.SimdImplementation.IsSupported"/>).
    /// </summary>
    public static ITinyLaDeDaEngine Best { get; } = Fused.First(e => e.IsSupported);

    /// <summary>
    /// Finds an engine by <see cref="ITinyLaDeDaEngine.Name"/> or a name it had before
    /// (<see cref="EngineCatalog"/>; case-insensitive).
    /// </summary>
    public static ITinyLaDeDaEngine? ByName(string name)
    {
        name = EngineCatalog.Canonical(name);
        return Fused.Cast<ITinyLaDeDaEngine>().Append(Reference).FirstOrDefault(e => e.Name == name);
    }
}
