using System.Diagnostics;
using FastLaDeDa.Detection;

namespace FastLaDeDa.Bench.Files;

/// <summary>
/// File → score on every core: copies of one path scored with <see cref="Parallel.For(int, int, ParallelOptions, Action{int})"/>
/// by one shared detector, as detect does; the median round's wall time and the process's CPU time per image.
/// </summary>
public readonly record struct AllCoresThroughput(double ImagesPerSecond, double MsPerImage, double CpuMsPerImage, int Images, int Threads, int Rounds)
{
    /// <summary>Scores ≥ 16 copies of <paramref name="path"/> per round, after warm-up rounds, for about <paramref name="budgetMs"/>.</summary>
    public static AllCoresThroughput Measure(Detector detector, string path, double budgetMs)
    {
        int threads = Environment.ProcessorCount, images = Math.Max(16, 4 * threads);
        var options = new ParallelOptions { MaxDegreeOfParallelism = threads };
        void Round() => Parallel.For(0, images, options, _ => detector.Score(path));
        // The code is warm from the one-core runs; these rounds bring up the pool's threads.
        long warm = Stopwatch.GetTimestamp();
        for (int i = 0; i < 3; i++) Round();
        double roundMs = Stopwatch.GetElapsedTime(warm).TotalMilliseconds / 3;
        int rounds = Math.Clamp((int)(budgetMs / roundMs), 5, 100);
        var wall = new double[rounds];
        var cpu = new double[rounds];
        for (int r = 0; r < rounds; r++)
        {
            TimeSpan cpuStart = Environment.CpuUsage.TotalTime;
            long start = Stopwatch.GetTimestamp();
            Round();
            wall[r] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            cpu[r] = (Environment.CpuUsage.TotalTime - cpuStart).TotalMilliseconds;
        }
        Array.Sort(wall);
        Array.Sort(cpu);
        double msPerImage = wall[rounds / 2] / images;
        return new AllCoresThroughput(1000 / msPerImage, msPerImage, cpu[rounds / 2] / images, images, threads, rounds);
    }
}
