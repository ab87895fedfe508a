using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace FastLaDeDa.Tests.Support;

/// <summary>
/// The instruction-set configurations the bit-exact suites run under, each a set of .NET 10
/// runtime switches for a child process. Checked on .NET 10 (x64, AVX-512 machine):
/// <list type="bullet">
/// <item><c>DOTNET_EnableAVX512=0</c>: Vector512 off, AVX2 and FMA on (the .NET 8/9 name
/// <c>DOTNET_EnableAVX512F</c> is ignored).</item>
/// <item><c>DOTNET_EnableAVX2=0</c>: Vector256 off, and FMA with it (.NET 10 switches the x86-64-v3
/// group together), so the float kernels run scalar.</item>
/// <item><c>DOTNET_PreferredVectorBitWidth=128</c>: <c>Vector256.IsHardwareAccelerated</c> and
/// <c>Vector512.IsHardwareAccelerated</c> false while <c>Avx2.IsSupported</c> and <c>Fma.IsSupported</c>
/// stay true — what the width checks read, so only the 128-bit paths run, as on ARM64 (NEON has FMA).
/// <c>DOTNET_EnableAVX=0</c> would turn FMA off too.</item>
/// </list>
/// </summary>
internal static class IsaModes
{
    /// <summary>Label → environment of the child process.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> All { get; } =
        new Dictionary<string, IReadOnlyDictionary<string, string>>
        {
            ["no AVX-512"] = new Dictionary<string, string> { ["DOTNET_EnableAVX512"] = "0" },
            ["no AVX2"] = new Dictionary<string, string> { ["DOTNET_EnableAVX2"] = "0" },
            ["128-bit only"] = new Dictionary<string, string> { ["DOTNET_PreferredVectorBitWidth"] = "128" },
        };

    /// <summary>The process as started, with no switch.</summary>
    public const string Default = "default";

    /// <summary>The labels, for theories: <see cref="Default"/> then every entry of <see cref="All"/>.</summary>
    public static TheoryData<string> Labels() => [Default, .. All.Keys];

    /// <summary>The child's environment for <paramref name="label"/> (none for <see cref="Default"/>).</summary>
    public static IReadOnlyDictionary<string, string> Environment(string label) =>
        label == Default ? new Dictionary<string, string>() : All[label];

    /// <summary>
    /// The engine backend (<c>avx512</c>, <c>avx2</c>, <c>vector128</c>, <c>scalar</c>) a child in
    /// mode <paramref name="label"/> should pick on this machine; null for <see cref="Default"/>
    /// (the pick of this process).
    /// </summary>
    public static string? ExpectedBackend(string label)
    {
        bool fma128 = AdvSimd.Arm64.IsSupported || (Sse41.IsSupported && Fma.IsSupported);
        return label switch
        {
            "no AVX-512" => Avx2.IsSupported && Fma.IsSupported ? "avx2" : fma128 ? "vector128" : "scalar",
            "no AVX2" => AdvSimd.Arm64.IsSupported ? "vector128" : "scalar",
            "128-bit only" => fma128 ? "vector128" : "scalar",
            _ => null,
        };
    }

    /// <summary>What this process accelerates, for skip messages: e.g. "Vector128, FMA accelerated; Vector256, Vector512 not".</summary>
    public static string Current
    {
        get
        {
            var widths = new (string Name, bool On)[]
            {
                ("Vector128", Vector128.IsHardwareAccelerated), ("Vector256", Vector256.IsHardwareAccelerated), ("Vector512", Vector512.IsHardwareAccelerated),
                ("FMA", Fma.IsSupported || AdvSimd.Arm64.IsSupported),
            };
            string on = string.Join(", ", widths.Where(w => w.On).Select(w => w.Name));
            string off = string.Join(", ", widths.Where(w => !w.On).Select(w => w.Name));
            return (on.Length == 0 ? "no vectors accelerated" : on + " accelerated") + (off.Length == 0 ? "" : $"; {off} not");
        }
    }
}
