using FastLaDeDa.Engines.Cpu.LaDeDa;
using FastLaDeDa.Engines.Cpu.Tiny;
using FastLaDeDa.Engines;
using FastLaDeDa.Engines.Cpu;
using FastLaDeDa.Imaging.Resize;
using FastLaDeDa.Imaging;
using FastLaDeDa.Preprocessing;
using FastLaDeDa.Simd;

namespace FastLaDeDa.Tests.Support;

/// <summary>
/// The SIMD implementations and engines by name, for theories that run once per implementation:
/// every one is listed, whatever this machine has, and those this process cannot run are skipped
/// with the reason (a CI machine without AVX-512 shows its Vector512 cases as skipped, not absent).
/// A name keeps the test name readable; the tests look the instance up.
/// </summary>
internal static class Implementations
{
    /// <summary>Every implementation of <paramref name="all"/>, supported or not.</summary>
    public static TheoryData<string> Names(IEnumerable<SimdImplementation> all)
    {
        var data = new TheoryData<string>();
        foreach (SimdImplementation i in all) data.Add(i.ToString());
        return data;
    }

    /// <summary>The implementation named <paramref name="name"/>; skips the test when this process cannot run it.</summary>
    public static T ByName<T>(IEnumerable<T> all, string name) where T : SimdImplementation
    {
        T implementation = all.Single(i => i.ToString() == name);
        SkipUnlessSupported(implementation.IsSupported, name, implementation.Isa);
        return implementation;
    }

    /// <summary>Skips the test, saying why, when the width <paramref name="isa"/> is not accelerated here.</summary>
    public static void SkipUnlessSupported(bool supported, string name, string isa) =>
        Skip.IfNot(supported, $"{name} cannot run in this process: its {isa} path is not accelerated here ({IsaModes.Current})");

    public static ImageNetNormalizer Normalizer(string name) => ByName(ImageNetNormalizer.All, name);

    public static NprFilter Npr(string name) => ByName(NprFilter.All, name);

    public static GradientFilter Gradient(string name) => ByName(GradientFilter.All, name);

    public static Resampler Resampler(string name) => ByName(FastLaDeDa.Imaging.Resize.Resampler.All, name);

    /// <summary>Every fused Tiny-LaDeDa engine, supported or not.</summary>
    public static TheoryData<string> TinyEngineNames() => [.. TinyLaDeDaEngines.Fused.Select(e => e.Name)];

    /// <summary>The fused engine named <paramref name="name"/>; skips the test when this process cannot run it.</summary>
    public static TinyLaDeDaFusedEngine TinyEngine(string name)
    {
        var engine = TinyLaDeDaEngines.Fused.Single(e => e.Name == name);
        SkipUnlessSupported(engine.IsSupported, name, IsaOf(name));
        return engine;
    }

    /// <summary>The LaDeDa CPU engine named <paramref name="name"/>; skips the test when this process cannot run it.</summary>
    public static LaDeDaCpuEngine LaDeDaEngine(string name)
    {
        var engine = LaDeDaEngines.Cpu.Single(e => e.Name == name);
        SkipUnlessSupported(engine.IsSupported, name, engine.Isa.ToString());
        return engine;
    }

    /// <summary>The register width an engine name stands for (tiny-avx2: Vector256).</summary>
    private static string IsaOf(string engineName) => engineName[(engineName.IndexOf('-') + 1)..] switch
    {
        "avx512" => "Vector512",
        "avx2" => "Vector256",
        "vector128" => "Vector128",
        _ => "Scalar",
    };

    /// <summary>The width the factories should pick on this machine.</summary>
    public static string ExpectedIsa =>
        Avx512Ops.IsSupported ? "Vector512" : Avx2Ops.IsSupported ? "Vector256" : Vector128Ops.IsSupported ? "Vector128" : "Scalar";
}
