using System.Runtime.Intrinsics;
using FastLaDeDa.Imaging;
using FastLaDeDa.Preprocessing;
using FastLaDeDa.Simd;

namespace FastLaDeDa.Tests.Support;

/// <summary>
/// The SIMD implementations by class name, for theories that run once per implementation this
/// machine supports (a name keeps the test name readable; the tests look the instance up).
/// </summary>
internal static class Implementations
{
    public static TheoryData<string> SupportedNames(IEnumerable<SimdImplementation> all)
    {
        var data = new TheoryData<string>();
        foreach (SimdImplementation i in all)
            if (i.IsSupported) data.Add(i.ToString());
        return data;
    }

    public static T ByName<T>(IEnumerable<T> all, string name) where T : SimdImplementation =>
        all.Single(i => i.ToString() == name);

    public static ImageNetNormalizer Normalizer(string name) => ByName(ImageNetNormalizer.All, name);

    public static NprFilter Npr(string name) => ByName(NprFilter.All, name);

    public static GradientFilter Gradient(string name) => ByName(GradientFilter.All, name);

    public static Resampler Resampler(string name) => ByName(FastLaDeDa.Imaging.Resampler.All, name);

    /// <summary>The width the factories should pick on this machine.</summary>
    public static string ExpectedIsa =>
        Vector512.IsHardwareAccelerated ? "Vector512" : Vector256.IsHardwareAccelerated ? "Vector256" : "Scalar";
}
