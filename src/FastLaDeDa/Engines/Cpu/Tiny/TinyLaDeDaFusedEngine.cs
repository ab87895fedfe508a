using FastLaDeDa.Models;
using FastLaDeDa.Preprocessing;
using FastLaDeDa.Simd;

namespace FastLaDeDa.Engines.Cpu.Tiny;

/// <summary>
/// The fused single-pass Tiny-LaDeDa kernel (see <c>FusedTinyLaDeDaKernel</c>) at one register
/// width. One subclass per ISA, all running the same algorithm; <see cref="TinyLaDeDaEngines"/>
/// picks the widest the machine supports.
/// </summary>
internal abstract class TinyLaDeDaFusedEngine : ITinyLaDeDaEngine
{
    private protected TinyLaDeDaFusedEngine() { }

    /// <inheritdoc />
    public abstract string Name { get; }

    /// <inheritdoc />
    public abstract bool IsSupported { get; }

    /// <inheritdoc />
    public IPatchNetwork Prepare(TinyLaDeDaModel model, PreprocessKind preprocess)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!IsSupported) throw new PlatformNotSupportedException($"the {Name} engine is not supported on this machine");
        return new Network(this, new FusedTinyLaDeDaWeights(model, preprocess));
    }

    private protected abstract PatchPooling RunKernel(FusedTinyLaDeDaWeights weights, ReadOnlySpan<byte> rgb, int width, int height, Span<float> map);

    private sealed class Network(TinyLaDeDaFusedEngine engine, FusedTinyLaDeDaWeights weights) : TinyLaDeDaNetwork
    {
        public override string EngineName => engine.Name;

        protected override PatchPooling RunValidated(ReadOnlySpan<byte> rgb, int width, int height, Span<float> map) =>
            engine.RunKernel(weights, rgb, width, height, map);
    }
}

/// <summary>The fused kernel one float at a time: the fallback where no SIMD width is accelerated.</summary>
internal sealed class TinyLaDeDaFusedScalar : TinyLaDeDaFusedEngine
{
    /// <inheritdoc />
    public override string Name => "tiny-scalar";

    /// <inheritdoc />
    public override bool IsSupported => ScalarOps.IsSupported;

    private protected override PatchPooling RunKernel(FusedTinyLaDeDaWeights weights, ReadOnlySpan<byte> rgb, int width, int height, Span<float> map) =>
        FusedTinyLaDeDaKernel<ScalarOps, float>.Run(weights, rgb, width, height, map);
}

/// <summary>The fused kernel on 4 floats per register (ARM64 AdvSimd, or x86 SSE4 + FMA).</summary>
internal sealed class TinyLaDeDaFusedVector128 : TinyLaDeDaFusedEngine
{
    /// <inheritdoc />
    public override string Name => "tiny-vector128";

    /// <inheritdoc />
    public override bool IsSupported => Vector128Ops.IsSupported;

    private protected override PatchPooling RunKernel(FusedTinyLaDeDaWeights weights, ReadOnlySpan<byte> rgb, int width, int height, Span<float> map) =>
        FusedTinyLaDeDaKernel<Vector128Ops, System.Runtime.Intrinsics.Vector128<float>>.Run(weights, rgb, width, height, map);
}

/// <summary>The fused kernel on 8 floats per register (AVX2 + FMA).</summary>
internal sealed class TinyLaDeDaFusedVector256 : TinyLaDeDaFusedEngine
{
    /// <inheritdoc />
    public override string Name => "tiny-avx2";

    /// <inheritdoc />
    public override bool IsSupported => Avx2Ops.IsSupported;

    private protected override PatchPooling RunKernel(FusedTinyLaDeDaWeights weights, ReadOnlySpan<byte> rgb, int width, int height, Span<float> map) =>
        FusedTinyLaDeDaKernel<Avx2Ops, System.Runtime.Intrinsics.Vector256<float>>.Run(weights, rgb, width, height, map);
}

/// <summary>The fused kernel on 16 floats per register (AVX-512F).</summary>
internal sealed class TinyLaDeDaFusedVector512 : TinyLaDeDaFusedEngine
{
    /// <inheritdoc />
    public override string Name => "tiny-avx512";

    /// <inheritdoc />
    public override bool IsSupported => Avx512Ops.IsSupported;

    private protected override PatchPooling RunKernel(FusedTinyLaDeDaWeights weights, ReadOnlySpan<byte> rgb, int width, int height, Span<float> map) =>
        FusedTinyLaDeDaKernel<Avx512Ops, System.Runtime.Intrinsics.Vector512<float>>.Run(weights, rgb, width, height, map);
}
