namespace FastLaDeDa.Simd;

/// <summary>
/// One implementation of one algorithm for one instruction-set width (scalar, Vector128,
/// Vector256, Vector512). Each algorithm has an abstract base deriving from this class, one sealed subclass
/// per width, and a <c>Best</c> property chosen once at start-up by <see cref="Widest{T}"/>.
/// Every implementation of an algorithm gives bit-identical results; the wider ones are only faster.
/// </summary>
internal abstract class SimdImplementation
{
    /// <summary>The instruction-set width this implementation uses: "Scalar", "Vector128", "Vector256" or "Vector512".</summary>
    public abstract string Isa { get; }

    /// <summary>
    /// True when this process can run the implementation with hardware acceleration. This follows
    /// <see cref="System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated"/> and
    /// <see cref="System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated"/>, so the runtime's
    /// switches turn the wide paths off: on .NET 10 <c>DOTNET_EnableAVX512=0</c> or
    /// <c>DOTNET_PreferredVectorBitWidth=256</c> (Vector512 off), <c>DOTNET_PreferredVectorBitWidth=128</c>
    /// (Vector512 and Vector256 off, Vector128 with FMA on: what an ARM64 machine has) and
    /// <c>DOTNET_EnableAVX2=0</c> (Vector256 off, and FMA with it, so Vector128 too). The .NET 8/9
    /// name <c>DOTNET_EnableAVX512F</c> is ignored by .NET 10.
    /// </summary>
    public abstract bool IsSupported { get; }

    /// <summary>The class name, e.g. <c>GradientFilterVector512</c> (used in test names and diagnostics).</summary>
    public override string ToString() => GetType().Name;

    /// <summary>The first supported implementation of <paramref name="widestFirst"/> (the last one, scalar, always is).</summary>
    public static T Widest<T>(params ReadOnlySpan<T> widestFirst) where T : SimdImplementation
    {
        foreach (T implementation in widestFirst)
            if (implementation.IsSupported) return implementation;
        throw new InvalidOperationException("no supported implementation; the scalar one should always be supported");
    }
}
