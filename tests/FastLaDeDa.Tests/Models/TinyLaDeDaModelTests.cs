using FastLaDeDa.Errors;
using FastLaDeDa.Models;
using FastLaDeDa.Weights;
using FastLaDeDa.Tests.Support;

namespace FastLaDeDa.Tests.Models;

public class TinyLaDeDaModelTests
{
    [Fact]
    public void Spec_has_the_official_tensor_list_and_1297_learnable_parameters()
    {
        Assert.Equal(21, TinyLaDeDaModel.Spec.Count);
        long learnable = TinyLaDeDaModel.Spec
            .Where(s => !s.Name.Contains("running_") && !s.Name.Contains("num_batches"))
            .Sum(s => s.Shape.Aggregate(1L, (a, b) => a * b));
        Assert.Equal(1297, learnable); // MODEL.md: 1,249 conv/fc + 48 BN affine
    }

    [Fact]
    public void One_error_lists_every_missing_unexpected_and_misshaped_tensor()
    {
        var tensors = RandomTiny.Tensors(1);
        tensors.Remove("fc.bias");
        tensors.Remove("bn1.running_var");
        tensors["layer1.0.conv2.weight"] = TensorData.FromFloat32(new float[64], 8, 8, 1, 1);
        tensors["conv3.weight"] = TensorData.FromFloat32(new float[1], 1);
        var ex = Assert.Throws<ModelMismatchException>(() => TinyLaDeDaModel.FromStateDict(new StateDict(tensors, null, "bad.safetensors")));
        Assert.StartsWith("bad.safetensors: ", ex.Message);
        Assert.Contains("missing 2 (bn1.running_var, fc.bias)", ex.Message);
        Assert.Contains("unexpected 1 (conv3.weight)", ex.Message);
        Assert.Contains("layer1.0.conv2.weight is [8, 8, 1, 1], expected [8, 8, 3, 3]", ex.Message);
    }

    [Fact]
    public void Num_batches_tracked_is_optional()
    {
        var tensors = RandomTiny.Tensors(2);
        foreach (var key in tensors.Keys.Where(k => k.EndsWith("num_batches_tracked")).ToList()) tensors.Remove(key);
        TinyLaDeDaModel.FromStateDict(new StateDict(tensors));
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void Non_finite_weights_are_rejected_with_the_tensor_name(float bad)
    {
        var tensors = RandomTiny.Tensors(3);
        var values = tensors["layer1.0.bn2.running_mean"].ToFloat32();
        values[5] = bad;
        tensors["layer1.0.bn2.running_mean"] = TensorData.FromFloat32(values, 8);
        var ex = Assert.Throws<WeightsFormatException>(() => TinyLaDeDaModel.FromStateDict(new StateDict(tensors, null, "nan.safetensors")));
        Assert.Contains("nan.safetensors: tensor layer1.0.bn2.running_mean holds a non-finite value", ex.Message);
        Assert.Contains("index 5", ex.Message);
    }

    [Fact]
    public void Batchnorm_as_scale_and_shift_equals_conv_then_batchnorm()
    {
        var tensors = RandomTiny.Tensors(4);
        var model = TinyLaDeDaModel.FromStateDict(new StateDict(tensors));
        float[] w = tensors["layer1.0.conv1.weight"].ToFloat32();
        float[] g = tensors["layer1.0.bn1.weight"].ToFloat32(), be = tensors["layer1.0.bn1.bias"].ToFloat32();
        float[] m = tensors["layer1.0.bn1.running_mean"].ToFloat32(), v = tensors["layer1.0.bn1.running_var"].ToFloat32();
        var rng = new Random(5);
        double[] x = Enumerable.Range(0, 8).Select(_ => rng.NextDouble() * 4 - 2).ToArray();
        for (int o = 0; o < 8; o++)
        {
            double conv = 0, modelConv = 0;
            for (int i = 0; i < 8; i++)
            {
                conv += w[o * 8 + i] * x[i];
                modelConv += model.Pointwise[o * 8 + i] * x[i];
            }
            double bn = (conv - m[o]) / Math.Sqrt(v[o] + 1e-5) * g[o] + be[o];
            Assert.Equal(bn, model.PointwiseScale[o] * modelConv + model.PointwiseShift[o], 12);
        }
    }

    [Theory]
    [InlineData(256, 126)]
    [InlineData(224, 110)]
    [InlineData(7, 2)]
    [InlineData(6, 1)]
    [InlineData(5, 1)]
    [InlineData(4, 0)]
    public void Map_size_follows_the_layer_arithmetic(int input, int expected) =>
        Assert.Equal(expected, TinyLaDeDaModel.MapSize(input));
}
