namespace FastLaDeDa.Engines.Cpu.LaDeDa;

/// <summary>The register width a <see cref="LaDeDaCpuEngine"/> runs its GEMM micro-kernel at.</summary>
internal enum LaDeDaCpuIsa
{
    /// <summary>One float at a time: the portable fallback.</summary>
    Scalar,
    /// <summary>4 floats per register (ARM64 AdvSimd, or x86 SSE4 + FMA).</summary>
    Vector128,
    /// <summary>8 floats per register (AVX2 + FMA).</summary>
    Vector256,
    /// <summary>16 floats per register (AVX-512F).</summary>
    Vector512,
}
