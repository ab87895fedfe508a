using System.Diagnostics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace FastLaDeDa.Bench;

/// <summary>
/// This core's measured fused-multiply-add throughput: twelve independent FMA chains (enough to
/// cover the latency of every FMA unit) for a fixed time, in lane-FMAs per second. On Zen 4 a
/// 512-bit FMA runs as two 256-bit halves, so Vector512 and Vector256 give the same number —
/// which is why a data-sheet "2 × 512-bit FMA" peak overstates this machine by 2×.
/// </summary>
public static class FmaPeak
{
    /// <summary>Lane-FMAs per second, single thread, with the widest vectors this CPU runs (0 where neither width is accelerated).</summary>
    public static double LaneFmasPerSecond(bool wide = true)
    {
        if (wide && Avx512F.IsSupported) return Measure512();
        return Fma.IsSupported ? Measure256() : 0;
    }

    private static double Measure512() => Time(Vector512<float>.Count, Chains512);

    private static double Measure256() => Time(Vector256<float>.Count, Chains256);

    // The accumulators are locals of one method (a lambda would hoist them into a heap object,
    // turning every FMA into a load and a store).
    private static float Chains512(long iterations)
    {
        var m = Vector512.Create(0.9999999f);
        var c = Vector512.Create(1e-7f);
        Vector512<float> a0 = Vector512<float>.One, a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        for (long i = 0; i < iterations; i++)
        {
            a0 = Avx512F.FusedMultiplyAdd(a0, m, c); a1 = Avx512F.FusedMultiplyAdd(a1, m, c);
            a2 = Avx512F.FusedMultiplyAdd(a2, m, c); a3 = Avx512F.FusedMultiplyAdd(a3, m, c);
            a4 = Avx512F.FusedMultiplyAdd(a4, m, c); a5 = Avx512F.FusedMultiplyAdd(a5, m, c);
            a6 = Avx512F.FusedMultiplyAdd(a6, m, c); a7 = Avx512F.FusedMultiplyAdd(a7, m, c);
            a8 = Avx512F.FusedMultiplyAdd(a8, m, c); a9 = Avx512F.FusedMultiplyAdd(a9, m, c);
            a10 = Avx512F.FusedMultiplyAdd(a10, m, c); a11 = Avx512F.FusedMultiplyAdd(a11, m, c);
        }
        return (a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11).ToScalar();
    }

    private static float Chains256(long iterations)
    {
        var m = Vector256.Create(0.9999999f);
        var c = Vector256.Create(1e-7f);
        Vector256<float> a0 = Vector256<float>.One, a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        for (long i = 0; i < iterations; i++)
        {
            a0 = Fma.MultiplyAdd(a0, m, c); a1 = Fma.MultiplyAdd(a1, m, c);
            a2 = Fma.MultiplyAdd(a2, m, c); a3 = Fma.MultiplyAdd(a3, m, c);
            a4 = Fma.MultiplyAdd(a4, m, c); a5 = Fma.MultiplyAdd(a5, m, c);
            a6 = Fma.MultiplyAdd(a6, m, c); a7 = Fma.MultiplyAdd(a7, m, c);
            a8 = Fma.MultiplyAdd(a8, m, c); a9 = Fma.MultiplyAdd(a9, m, c);
            a10 = Fma.MultiplyAdd(a10, m, c); a11 = Fma.MultiplyAdd(a11, m, c);
        }
        return (a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11).ToScalar();
    }

    /// <summary>The best of five 0.1 s rounds (other tenants only ever slow a round down).</summary>
    private static double Time(int lanes, Func<long, float> run)
    {
        const long iterations = 20_000_000;
        run(iterations / 10); // JIT and warm-up
        double best = 0;
        for (int round = 0; round < 5; round++)
        {
            long start = Stopwatch.GetTimestamp();
            float sink = run(iterations);
            double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            if (float.IsNaN(sink)) throw new InvalidOperationException("unreachable: keeps the chains alive");
            best = Math.Max(best, 12.0 * lanes * iterations / seconds);
        }
        return best;
    }
}
