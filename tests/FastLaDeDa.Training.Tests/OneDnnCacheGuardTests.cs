using System.Runtime.InteropServices;
using FastLaDeDa.Training.Native;

namespace FastLaDeDa.Training.Tests;

public class OneDnnCacheGuardTests
{
    [DllImport("libc", EntryPoint = "getenv", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
#pragma warning disable SYSLIB1054 // one test-only call
    private static extern IntPtr GetEnv(string name);
#pragma warning restore SYSLIB1054

    /// <summary>
    /// On a CPU whose CPUID leaves describe no caches, libtorch must see the cap in its own (native)
    /// environment; elsewhere nothing is changed. The training tests themselves crash (SIGFPE) or train
    /// on NaNs without it on such a CPU.
    /// </summary>
    [SkippableFact]
    public void A_cpu_without_cache_leaves_caps_onednn_in_the_native_environment()
    {
        Skip.IfNot(OperatingSystem.IsLinux() && System.Runtime.Intrinsics.X86.X86Base.IsSupported, "the guard applies to Linux on x86 only");
        string? native = Marshal.PtrToStringAnsi(GetEnv("ONEDNN_MAX_CPU_ISA"));
        if (OneDnnCacheGuard.ReportsCaches())
        {
            Assert.False(OneDnnCacheGuard.Applied);
            Assert.Null(OneDnnCacheGuard.Note);
        }
        else
        {
            Skip.If(!OneDnnCacheGuard.Applied && native is not null, $"ONEDNN_MAX_CPU_ISA={native} was set by the caller and is left alone");
            Assert.True(OneDnnCacheGuard.Applied);
            Assert.Equal(OneDnnCacheGuard.IsaCap, native);
            Assert.Contains("no cache sizes", OneDnnCacheGuard.Note);
        }
    }

    /// <summary>Cross-check of the CPUID reading: Linux fills sysfs cache entries from the same leaves.</summary>
    [SkippableFact]
    public void Cpuid_reading_agrees_with_the_kernels_cache_list()
    {
        const string sysfs = "/sys/devices/system/cpu/cpu0/cache";
        Skip.IfNot(OperatingSystem.IsLinux() && System.Runtime.Intrinsics.X86.X86Base.IsSupported, "Linux on x86 only");
        bool kernelLists = Directory.Exists(sysfs) && Directory.EnumerateDirectories(sysfs, "index*").Any();
        // Linux can also build the list from the legacy leaves 0x80000005/6 (AMD without TOPOEXT).
        Skip.If(kernelLists && !OneDnnCacheGuard.ReportsCaches(), "the kernel lists caches from leaves oneDNN does not read");
        Assert.Equal(kernelLists, OneDnnCacheGuard.ReportsCaches());
    }
}
