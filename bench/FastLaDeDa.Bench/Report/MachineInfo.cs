using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace FastLaDeDa.Bench.Report;

/// <summary>What the numbers were measured on.</summary>
public static class MachineInfo
{
    public static string Cpu
    {
        get
        {
            try
            {
                string? line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
                if (line is not null) return line[(line.IndexOf(':') + 1)..].Trim();
            }
            catch (IOException) { }
            return RuntimeInformation.ProcessArchitecture.ToString();
        }
    }

    /// <summary>The 1, 5 and 15 minute load averages (/proc/loadavg), or "unknown".</summary>
    public static string LoadAverage
    {
        get
        {
            try { return string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)); }
            catch (IOException) { return "unknown"; }
            catch (UnauthorizedAccessException) { return "unknown"; }
        }
    }

    public static string Describe() =>
        $"{Cpu}, {Environment.ProcessorCount} cores, {(Vector512.IsHardwareAccelerated ? "AVX-512 (Vector512)" : Vector256.IsHardwareAccelerated ? "AVX2 (Vector256)" : "no wide SIMD")}, " +
        $".NET {Environment.Version}, {RuntimeInformation.OSDescription}";
}
