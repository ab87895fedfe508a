using FastLaDeDa.Simd;

namespace FastLaDeDa.Imaging.Formats.Jpeg;

/// <summary>
/// The per-pixel work of JPEG decoding that SIMD speeds up: the inverse DCT, the fancy upsamplers
/// and the YCbCr → RGB conversion. Implementations: <see cref="JpegKernelsScalar"/> (the reference,
/// written like libjpeg's C) and <see cref="JpegKernelsVector256"/> (x86 SIMD); they give
/// identical bytes for every input, which the tests check on random and extreme data.
/// </summary>
internal abstract class JpegKernels : SimdImplementation
{
    /// <summary>Every implementation, widest first (supported or not).</summary>
    public static IReadOnlyList<JpegKernels> All { get; } = [JpegKernelsVector256.Instance, JpegKernelsScalar.Instance];

    /// <summary>The widest implementation this process supports.</summary>
    public static JpegKernels Best { get; } = Widest<JpegKernels>([.. All]);

    /// <summary>
    /// Dequantizes and inverse-transforms one block (see <see cref="JpegInverseDct"/>):
    /// 64 coefficients and quantizers in natural order → 8 rows of 8 samples,
    /// <paramref name="stride"/> bytes apart.
    /// </summary>
    public abstract void InverseDct(ReadOnlySpan<short> coefficients, ReadOnlySpan<short> quantization, Span<byte> output, int stride);

    /// <summary>2:1 horizontal triangle upsampling of <paramref name="width"/> (&gt; 2) samples (see <see cref="JpegUpsampling.FancyH2V1"/>).</summary>
    public abstract void FancyH2V1(ReadOnlySpan<byte> input, int width, Span<byte> output);

    /// <summary>One output row of 2:1 × 2:1 triangle upsampling (see <see cref="JpegUpsampling.FancyH2V2"/>).</summary>
    public abstract void FancyH2V2(ReadOnlySpan<byte> nearer, ReadOnlySpan<byte> further, int width, Span<byte> output);

    /// <summary>YCbCr rows → interleaved RGB, <paramref name="rgb"/>.Length / 3 pixels (see <see cref="JpegColorConversion.YCbCrToRgb"/>).</summary>
    public abstract void YCbCrToRgb(ReadOnlySpan<byte> y, ReadOnlySpan<byte> cb, ReadOnlySpan<byte> cr, Span<byte> rgb);
}

/// <summary>The scalar reference kernels.</summary>
internal sealed class JpegKernelsScalar : JpegKernels
{
    /// <summary>The single instance.</summary>
    public static JpegKernelsScalar Instance { get; } = new();

    private JpegKernelsScalar() { }

    /// <inheritdoc/>
    public override string Isa => "Scalar";

    /// <inheritdoc/>
    public override bool IsSupported => true;

    /// <inheritdoc/>
    public override void InverseDct(ReadOnlySpan<short> coefficients, ReadOnlySpan<short> quantization, Span<byte> output, int stride) =>
        JpegInverseDct.Transform(coefficients, quantization, output, stride);

    /// <inheritdoc/>
    public override void FancyH2V1(ReadOnlySpan<byte> input, int width, Span<byte> output) =>
        JpegUpsampling.FancyH2V1(input, width, output);

    /// <inheritdoc/>
    public override void FancyH2V2(ReadOnlySpan<byte> nearer, ReadOnlySpan<byte> further, int width, Span<byte> output) =>
        JpegUpsampling.FancyH2V2(nearer, further, width, output);

    /// <inheritdoc/>
    public override void YCbCrToRgb(ReadOnlySpan<byte> y, ReadOnlySpan<byte> cb, ReadOnlySpan<byte> cr, Span<byte> rgb) =>
        JpegColorConversion.YCbCrToRgb(y, cb, cr, rgb);
}
