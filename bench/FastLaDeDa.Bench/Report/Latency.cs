using System.Diagnostics;

namespace FastLaDeDa.Bench.Report;

/// <summary>Median and 99th-percentile wall time of repeated runs, after a warm-up.</summary>
public readonly record struct Latency(double MedianMs, double P99Ms, int Runs)
{
    /// <summary>Warms up for <paramref name="warmupRuns"/>, then times <paramref name="runs"/> single runs.</summary>
    public static Latency Measure(Action run, int warmupRuns, int runs)
    {
        for (int i = 0; i < warmupRuns; i++) run();
        var times = new double[runs];
        for (int i = 0; i < runs; i++)
        {
            long start = Stopwatch.GetTimestamp();
            run();
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        Array.Sort(times);
        return new Latency(times[runs / 2], times[Math.Min(runs - 1, (int)Math.Ceiling(0.99 * runs) - 1)], runs);
    }

    /// <summary>Images per second at the median.</summary>
    public double ImagesPerSecond => 1000.0 / MedianMs;
}
