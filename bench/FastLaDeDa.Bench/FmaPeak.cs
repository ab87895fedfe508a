using System.Diagnostics;
using System.Runtime.Intrinsics;
using FastLaDeDa.Simd;

namespace FastLaDeDa.Bench;

/// <summary>
/// This core's measured fused-multiply-add throughput: twelve independent FMA chains (enough to
/// cover the latency of every FMA unit) for a fixed time, in lane-FMAs per second. On Zen 4 a
/// 512-bit FMA runs as two 256-bit halves, so Vector512 and Vector256 give the same number —
/// which is why a data-sheet "2 × 512-bit FMA" peak overstates this machine by 2×.
/// </summary>
public static class FmaPeak
{
    /// <summary>
    /// Lane-FMAs per second, single thread, with the widest vectors this process runs (with
    /// <paramref name="wide"/> false, at most 256-bit); 128-bit where only those are accelerated
    /// (ARM64, <c>DOTNET_PreferredVectorBitWidth=128</c>), 0 where none is.
    /// </summary>
    public static double LaneFmasPerSecond(bool wide = true)
    {
        if (wide && Avx512Ops.IsSupported) return Time(Avx512Ops.Count, Chains<Avx512Ops, Vector512<float>>);
        if (Avx2Ops.IsSupported) return Time(Avx2Ops.Count, Chains<Avx2Ops, Vector256<float>>);
        return Vector128Ops.IsSupported ? Time(Vector128Ops.Count, Chains<Vector128Ops, Vector128<float>>) : 0;
    }

    // The accumulators are locals of one method (a lambda would hoist them into a heap object,
    // turning every FMA into a load and a store); the fused kernel's ops give one body for both widths.
    private static float Chains<TOps, TVec>(long iterations)
        where TOps : struct, ISimdOps<TVec>
        where TVec : struct
    {
        TVec m = TOps.Broadcast(0.9999999f), c = TOps.Broadcast(1e-7f);
        TVec a0 = TOps.Broadcast(1f), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        for (long i = 0; i < iterations; i++)
        {
            a0 = TOps.MultiplyAdd(a0, m, c); a1 = TOps.MultiplyAdd(a1, m, c);
            a2 = TOps.MultiplyAdd(a2, m, c); a3 = TOps.MultiplyAdd(a3, m, c);
            a4 = TOps.MultiplyAdd(a4, m, c); a5 = TOps.MultiplyAdd(a5, m, c);
            a6 = TOps.MultiplyAdd(a6, m, c); a7 = TOps.MultiplyAdd(a7, m, c);
            a8 = TOps.MultiplyAdd(a8, m, c); a9 = TOps.MultiplyAdd(a9, m, c);
            a10 = TOps.MultiplyAdd(a10, m, c); a11 = TOps.MultiplyAdd(a11, m, c);
        }
        TVec sum = TOps.Add(TOps.Add(TOps.Add(a0, a1), TOps.Add(a2, a3)), TOps.Add(TOps.Add(a4, a5), TOps.Add(a6, a7)));
        sum = TOps.Add(sum, TOps.Add(TOps.Add(a8, a9), TOps.Add(a10, a11)));
        float[] lanes = new float[TOps.Count];
        TOps.Store(ref lanes[0], sum); // keeps the chains alive
        return lanes[0];
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
