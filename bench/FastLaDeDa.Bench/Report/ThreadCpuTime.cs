using System.Runtime.InteropServices;

namespace FastLaDeDa.Bench.Report;

/// <summary>
/// CPU time consumed by the calling thread (Linux clock_gettime(CLOCK_THREAD_CPUTIME_ID)): unlike
/// wall time it does not grow while other processes hold the core, so it is the steadier number on
/// a shared machine. Null elsewhere.
/// </summary>
public static class ThreadCpuTime
{
    private const int ClockThreadCpuTimeId = 3;

    /// <summary>Whether the clock can be read here.</summary>
    public static bool IsAvailable { get; } = Probe();

    /// <summary>The calling thread's CPU time in milliseconds (0 where unavailable).</summary>
    public static double NowMs()
    {
        if (!IsAvailable || clock_gettime(ClockThreadCpuTimeId, out var t) != 0) return 0;
        return t.Seconds * 1e3 + t.Nanoseconds * 1e-6;
    }

    private static bool Probe()
    {
        if (!OperatingSystem.IsLinux()) return false;
        try { return clock_gettime(ClockThreadCpuTimeId, out _) == 0; }
        catch (DllNotFoundException) { return false; }
        catch (EntryPointNotFoundException) { return false; }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int clock_gettime(int clockId, out Timespec time);
}
