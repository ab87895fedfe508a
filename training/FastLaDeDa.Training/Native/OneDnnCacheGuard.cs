using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace FastLaDeDa.Training.Native;

/// <summary>
/// Keeps libtorch's oneDNN off its cache-blocked kernels on CPUs that report no caches.
/// </summary>
/// <remarks>
/// oneDNN sizes its AVX2/AVX-512 "brgemm" convolution blocks from the cache sizes in CPUID leaf 4
/// (Intel) or 0x8000001D (AMD). Some virtual machines leave both leaves zero — this repository's
/// 2-core Zen 5 VM does — and oneDNN then divides by the zero L2 size (SIGFPE in
/// <c>brg_blocking_t::est_eff_1x1</c>, a crashed test host) or trains on NaNs. Capping oneDNN at AVX
/// (<c>ONEDNN_MAX_CPU_ISA=AVX</c>, its documented switch) picks kernels that do not read the cache
/// sizes; AVX2 is not enough. oneDNN reads the variable from the native environment once, at its
/// first use, so it is set with libc's <c>setenv</c> when this assembly loads, before any TorchSharp
/// call. A value the user set is left alone.
/// </remarks>
internal static class OneDnnCacheGuard
{
    /// <summary>The oneDNN ISA cap applied on a CPU that reports no caches.</summary>
    public const string IsaCap = "AVX";

    private const string Variable = "ONEDNN_MAX_CPU_ISA";
    private const string LegacyVariable = "DNNL_MAX_CPU_ISA";

    /// <summary>Whether this process capped oneDNN (false where the CPU reports its caches or the user set the variable).</summary>
    public static bool Applied { get; private set; }

    /// <summary>One line for logs: what was done and why, or null when nothing was.</summary>
    public static string? Note => Applied
        ? $"this CPU reports no cache sizes (CPUID leaves 4 and 0x8000001D are empty), so oneDNN is limited to {IsaCap} ({Variable}={IsaCap}): its AVX2/AVX-512 convolutions divide by the missing L2 size"
        : null;

    /// <summary>Applies the cap if needed; idempotent. Runs by itself when the training assembly loads.</summary>
    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255", Justification = "Must run before the first TorchSharp call, whichever type makes it.")]
    public static void Apply()
    {
        if (Applied || !OperatingSystem.IsLinux() || !X86Base.IsSupported || ReportsCaches()) return;
        if (Environment.GetEnvironmentVariable(Variable) is not null || Environment.GetEnvironmentVariable(LegacyVariable) is not null) return;
        // Environment.SetEnvironmentVariable only changes .NET's copy on Unix; libtorch calls getenv.
        if (SetEnv(Variable, IsaCap, overwrite: 0) != 0) return;
        Environment.SetEnvironmentVariable(Variable, IsaCap);
        Applied = true;
    }

    /// <summary>True when CPUID describes at least one cache, the way oneDNN (Xbyak) looks for them.</summary>
    public static bool ReportsCaches()
    {
        if (!X86Base.IsSupported) return true;
        // EAX bits 0-4 of sub-leaf 0: the cache type, 0 meaning "no more caches".
        uint maxLeaf = (uint)X86Base.CpuId(0, 0).Eax;
        uint maxExtended = (uint)X86Base.CpuId(unchecked((int)0x80000000), 0).Eax;
        bool intelLeaf = maxLeaf >= 4 && (X86Base.CpuId(4, 0).Eax & 0x1F) != 0;
        bool amdLeaf = maxExtended >= 0x8000001D && (X86Base.CpuId(unchecked((int)0x8000001D), 0).Eax & 0x1F) != 0;
        return intelLeaf || amdLeaf;
    }

    [DllImport("libc", EntryPoint = "setenv", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    [SuppressMessage("Interoperability", "SYSLIB1054", Justification = "One call at start-up; LibraryImport would need unsafe code in this project.")]
    private static extern int SetEnv(string name, string value, int overwrite);
}
