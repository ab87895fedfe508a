using System.Diagnostics;

namespace FastLaDeDa.Bench.Report;

/// <summary>
/// Median and 99th-percentile wall time of repeated runs, after a warm-up, and the median CPU time
/// of the measuring thread (<see cref="ThreadCpuTime"/>; null where that clock is unavailable or
/// the run used other threads).
/// </summary>
public readonly record struct Latency(double MedianMs, double P99Ms, int Runs, double? CpuMedianMs = null)
{
    /// <summary>Warms up for <paramref name="warmupRuns"/>, then times <paramref name="runs"/> single runs.</summary>
    public static Latency Measure(Action run, int warmupRuns, int runs)
    {
        for (int i = 0; i < warmupRuns; i++) run();
        var times = new double[runs];
        var cpu = new double[runs];
        for (int i = 0; i < runs; i++)
        {
            double cpuStart = ThreadCpuTime.NowMs();
            long start = Stopwatch.GetTimestamp();
            run();
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            cpu[i] = ThreadCpuTime.NowMs() - cpuStart;
        }
        Array.Sort(times);
        Array.Sort(cpu);
        return new Latency(times[runs / 2], times[Math.Min(runs - 1, (int)Math.Ceiling(0.99 * runs) - 1)], runs,
            ThreadCpuTime.IsAvailable ? cpu[runs / 2] : null);
    }

    /// <summary>Images per second at the median.</summary>
    public double ImagesPerSecond => 1000.0 / MedianMs;
}
