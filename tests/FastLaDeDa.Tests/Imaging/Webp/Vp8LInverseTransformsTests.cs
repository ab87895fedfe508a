using System.Runtime.Intrinsics;
using FastLaDeDa.Imaging.Formats.Webp;

namespace FastLaDeDa.Tests.Imaging.Webp;

/// <summary>
/// The vector forms of the inverse transforms and of the RGB output against their scalar references,
/// on random data and every length around the vector widths (tails, in-place use).
/// </summary>
public sealed class Vp8LInverseTransformsTests
{
    private static uint[] RandomPixels(int count, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => (uint)random.Next() ^ (uint)random.Next() << 16)];
    }

    [SkippableFact]
    public void The_machine_has_vectors_to_test()
    {
        // Otherwise the comparisons below would only compare the scalar code with itself.
        Skip.IfNot(Vector128.IsHardwareAccelerated, "no hardware vectors on this machine");
        Assert.True(Vector128.IsHardwareAccelerated);
    }

    /// <summary>Modes 0..15 (14 and 15 are invalid in the format; libwebp predicts black).</summary>
    public static TheoryData<int> PredictorModes => [.. Enumerable.Range(0, 16)];

    [Theory]
    [MemberData(nameof(PredictorModes))]
    public void Predictors_match_their_scalar_reference(int mode)
    {
        const int width = 37;
        foreach (int count in new[] { 1, 3, 4, 5, 8, 15, 36 })
        {
            // The row above and this row, as the band buffer lays them out (one spare pixel first).
            uint[] buffer = [0, .. RandomPixels(2 * width, mode * 100 + count)];
            uint[] input = RandomPixels(count, count);
            uint[] vector = [.. buffer], scalar = [.. buffer];
            int start = 1 + width + (width - count);
            Vp8LInverseTransforms.PredictorAdd(mode, input, vector, start, width, useVectors: true);
            Vp8LInverseTransforms.PredictorAdd(mode, input, scalar, start, width, useVectors: false);
            Assert.Equal(scalar, vector);
            Assert.NotEqual(buffer, scalar);
        }
    }

    [Fact]
    public void Predictors_work_in_place()
    {
        const int width = 20;
        for (int mode = 0; mode < 16; mode++)
        {
            uint[] buffer = [0, .. RandomPixels(2 * width, mode)];
            uint[] separate = [.. buffer];
            Vp8LInverseTransforms.PredictorAdd(mode, buffer.AsSpan(1 + width + 1, width - 1).ToArray(), separate, 1 + width + 1, width);
            Vp8LInverseTransforms.PredictorAdd(mode, buffer.AsSpan(1 + width + 1, width - 1), buffer, 1 + width + 1, width);
            Assert.Equal(separate, buffer);
        }
    }

    [Fact]
    public void Add_green_and_cross_color_match_their_scalar_reference()
    {
        foreach (int count in new[] { 0, 1, 3, 4, 7, 8, 9, 31, 64, 100 })
        {
            uint[] input = RandomPixels(count, count);
            uint[] vector = new uint[count], scalar = new uint[count];
            Vp8LInverseTransforms.AddGreenToBlueAndRed(input, vector);
            Vp8LInverseTransforms.AddGreenToBlueAndRedScalar(input, scalar);
            Assert.Equal(scalar, vector);

            foreach (uint colorCode in RandomPixels(4, count + 1).Append(0x00808080u).Append(0x007F7F7Fu))
            {
                Vp8LInverseTransforms.TransformColorInverse(colorCode, input, vector);
                Vp8LInverseTransforms.TransformColorInverseScalar(colorCode, input, scalar);
                Assert.Equal(scalar, vector);
            }
        }
    }

    [Fact]
    public void Rgb_output_matches_its_scalar_reference_and_writes_nothing_past_the_row()
    {
        foreach (int count in new[] { 0, 1, 2, 4, 5, 6, 7, 8, 13, 64, 65 })
        {
            uint[] input = RandomPixels(count, count);
            byte[] vector = [.. Enumerable.Repeat((byte)0xEE, count * 3 + 16)];
            byte[] scalar = [.. vector];
            Vp8LInverseTransforms.ArgbToRgb(input, vector.AsSpan(0, count * 3));
            Vp8LInverseTransforms.ArgbToRgbScalar(input, scalar.AsSpan(0, count * 3));
            Assert.Equal(scalar, vector);
            Assert.All(vector[(count * 3)..], b => Assert.Equal(0xEE, b));
        }
    }
}
