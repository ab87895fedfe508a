namespace FastLaDeDa.Engines.Cpu.Gemm;

/// <summary>
/// The row pointers of one micro-kernel call: <see cref="GemmMicroKernel{TOps, TVec}.Rows"/>
/// output pixels, each with the input position its receptive window starts at (<c>A</c>), where its
/// output panel goes (<c>C</c>) and where its residual panel is read (<c>R</c>, unused without a
/// residual). Rows past the end of a layer repeat a valid input and write to a scratch row.
/// </summary>
internal unsafe struct GemmTile
{
    public float* A0, A1, A2, A3, A4, A5;
    public float* C0, C1, C2, C3, C4, C5;
    public float* R0, R1, R2, R3, R4, R5;
}
