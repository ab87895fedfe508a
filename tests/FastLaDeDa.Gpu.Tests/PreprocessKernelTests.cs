using FastLaDeDa.Imaging;
using FastLaDeDa.Gpu.Tests.Support;
using FastLaDeDa.Preprocessing;
using ILGPU;
using ILGPU.Runtime;

namespace FastLaDeDa.Gpu.Tests;

/// <summary>
/// The preprocessing kernel is bit-identical to the library: <see cref="ImageNetNormalization"/>
/// then <see cref="Preprocessor.Apply(PreprocessKind, ChwTensor)"/>, for every filter, odd and even
/// sizes, several images per batch (each image's planes land at [c][b]).
/// </summary>
[Collection(CpuAcceleratorCollection.Name)]
public class PreprocessKernelTests(CpuAccelerators cpu)
{
    [Theory]
    [InlineData(PreprocessKind.Npr, 9, 9, 1)]
    [InlineData(PreprocessKind.Npr, 16, 11, 2)]
    [InlineData(PreprocessKind.NprTwoThirds, 13, 10, 3)]
    [InlineData(PreprocessKind.Raw, 7, 12, 2)]
    [InlineData(PreprocessKind.RightDiag, 10, 9, 2)]
    [InlineData(PreprocessKind.LeftDiag, 5, 6, 1)]
    [InlineData(PreprocessKind.XGrad, 8, 7, 1)]
    [InlineData(PreprocessKind.YGrad, 6, 8, 2)]
    public void Is_bit_identical_to_the_library(PreprocessKind kind, int width, int height, int batch) =>
        Check(cpu.Small, kind, width, height, batch);

    [SkippableTheory]
    [InlineData(PreprocessKind.Npr, 33, 31, 2)]
    [InlineData(PreprocessKind.NprTwoThirds, 256, 256, 1)]
    [InlineData(PreprocessKind.RightDiag, 21, 17, 2)]
    public void Is_bit_identical_to_the_library_on_cuda(PreprocessKind kind, int width, int height, int batch)
    {
        Cuda.Require();
        Check(Cuda.Accelerator, kind, width, height, batch);
    }

    private static void Check(GpuAccelerator gpu, PreprocessKind kind, int width, int height, int batch)
    {
        var rng = new Random(width * 31 + height);
        var rgb = new byte[batch * width * height * 3];
        rng.NextBytes(rgb);
        var (mode, scale, taps) = PreprocessKernel.Describe(kind);
        var acc = gpu.Accelerator;
        using var dRgb = acc.Allocate1D(rgb);
        using var dTable = acc.Allocate1D(PreprocessKernel.NormalizationTable());
        using var dTaps = acc.Allocate1D(taps);
        using var dOut = acc.Allocate1D<float>(3L * batch * width * height);
        gpu.Preprocess(3 * batch * width * height, dRgb.View, dTable.View, dTaps.View, dOut.View,
            new PreprocessShape { Batch = batch, Height = height, Width = width, Mode = (int)mode, Scale = scale });
        acc.Synchronize();
        float[] actual = dOut.GetAsArray1D();

        int plane = width * height;
        for (int b = 0; b < batch; b++)
        {
            var image = new Rgb24Image(width, height, rgb.AsSpan(b * plane * 3, plane * 3).ToArray());
            ChwTensor expected = Preprocessor.Apply(kind, ImageNetNormalization.Normalize(image));
            for (int c = 0; c < 3; c++)
                for (int i = 0; i < plane; i++)
                {
                    float e = expected.Data[c * plane + i], a = actual[(c * batch + b) * plane + i];
                    if (BitConverter.SingleToInt32Bits(e) != BitConverter.SingleToInt32Bits(a))
                        Assert.Fail($"{kind} image {b} channel {c} pixel {i}: expected {e:R}, got {a:R}");
                }
        }
    }
}
