using FastLaDeDa.Models;
using FastLaDeDa.Preprocessing;

namespace FastLaDeDa.Interop.Onnx;

/// <summary>
/// Writes Tiny-LaDeDa or LaDeDa as an ONNX model (opset 17) with a fixed input size, so general
/// engines (ONNX Runtime, …) run exactly our network on the same weights. Input <c>input</c>:
/// the ImageNet-normalized image [1, 3, H, W] (float32); outputs <c>patch_logits</c> [1, 1, h, w],
/// <c>mean_logit</c> and <c>max_logit</c> [1, 1, 1, 1]. The preprocessing filter is part of the
/// graph; each BatchNorm is a per-channel Mul + Add (its scale and shift); the fc head is a 1×1
/// convolution; LaDeDa's residual crop is a Slice.
/// </summary>
internal static class OnnxExporter
{
    /// <summary>The ONNX model of <paramref name="model"/> for a <paramref name="height"/> × <paramref name="width"/> input: the nodes of <see cref="TinyLaDeDaModel.Graph"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The input is smaller than the 7×7 receptive field.</exception>
    public static byte[] Export(TinyLaDeDaModel model, PreprocessKind preprocess, int height = 256, int width = 256)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Export("tiny_ladeda", TinyLaDeDaModel.Graph, model.Conv, Array.ConvertAll(model.Fc.ToArray(), v => (float)v), model.FcBias, preprocess, height, width);
    }

    /// <summary>The ONNX model of LaDeDa for a <paramref name="height"/> × <paramref name="width"/> input: the nodes of <see cref="LaDeDaSpec.Graph"/> (stem as written: conv1 then conv2), each initializer named after its node.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The input is smaller than the model's receptive field.</exception>
    public static byte[] Export(LaDeDaModel model, PreprocessKind preprocess, int height = 256, int width = 256)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Export($"ladeda{model.Spec.ReceptiveField}", model.Spec.Graph, model.Conv, model.Fc.ToArray(), model.FcBias, preprocess, height, width);
    }

    /// <summary>Either model: the preprocessing filter, the graph's nodes, the head. A map needs at least one patch: both sides at least the receptive field.</summary>
    private static byte[] Export(string name, LaDeDaGraph graph, Func<LaDeDaNode, LaDeDaConv> convOf, float[] fc, double fcBias, PreprocessKind preprocess, int height, int width)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(height, graph.ReceptiveField);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, graph.ReceptiveField);
        var g = new OnnxGraph();
        g.Input("input", 1, 3, height, width);
        string x = Preprocess(g, "input", preprocess, height, width);
        var (features, mapHeight, mapWidth) = Nodes(g, x, graph, convOf, height, width);
        Head(g, features, fc, fcBias, mapHeight, mapWidth);
        return g.ToModel(name, "FastLaDeDa");
    }

    private static string Preprocess(OnnxGraph g, string input, PreprocessKind kind, int height, int width)
    {
        if (kind == PreprocessKind.Raw) return input;
        if (GradientKernels.IsGradient(kind))
        {
            float[] taps = GradientKernels.Taps(kind).ToArray();
            float[] depthwise = [.. taps, .. taps, .. taps];
            return g.Node("Conv", [input, g.Constant(g.Name("gradient"), depthwise, 3, 1, 3, 3)], null,
                ("group", 3L), ("pads", new long[] { 1, 1, 1, 1 }), ("kernel_shape", new long[] { 3, 3 }));
        }
        // NPR: x − x[2⌊i/2⌋, 2⌊j/2⌋]: every second pixel, repeated ×2 (nearest), cut back to H×W.
        string sampled = g.Node("Slice", [input, g.Int64Constant(g.Name("starts"), 0, 0), g.Int64Constant(g.Name("ends"), height, width),
                                          g.Int64Constant(g.Name("axes"), 2, 3), g.Int64Constant(g.Name("steps"), 2, 2)]);
        string repeated = g.Node("Resize", [sampled, "", g.Constant(g.Name("scales"), [1f, 1f, 2f, 2f], 4)], null,
            ("mode", "nearest"), ("coordinate_transformation_mode", "asymmetric"), ("nearest_mode", "floor"));
        string anchor = g.Node("Slice", [repeated, g.Int64Constant(g.Name("starts"), 0, 0), g.Int64Constant(g.Name("ends"), height, width), g.Int64Constant(g.Name("axes"), 2, 3)]);
        string npr = g.Node("Sub", [input, anchor]);
        return kind == PreprocessKind.NprTwoThirds ? g.Node("Mul", [npr, g.Constant(g.Name("two_thirds"), [NprFilter.Scale(kind)])]) : npr;
    }

    /// <summary>
    /// Every node of <paramref name="graph"/> on <paramref name="input"/>: Conv, the BatchNorm as Mul + Add,
    /// the residual (sliced to the output's size when larger: the bottom/right crop) added, Relu.
    /// Returns the last node's output and its size.
    /// </summary>
    private static (string Output, int Height, int Width) Nodes(OnnxGraph g, string input, LaDeDaGraph graph, Func<LaDeDaNode, LaDeDaConv> convOf, int height, int width)
    {
        int[] hs = graph.Sizes(height), ws = graph.Sizes(width);
        var values = new string[graph.Nodes.Count + 1];
        values[0] = input;
        foreach (var node in graph.Nodes)
        {
            var conv = convOf(node);
            string y = Conv(g, values[node.Input], node.Name, conv.Weights.ToArray(), conv.OutChannels, conv.InChannels, conv.Kernel, conv.Stride);
            if (node.BatchNorm is { } bn) y = Bn(g, y, bn, conv.Scale, conv.Shift);
            if (node.Residual >= 0)
            {
                string residual = values[node.Residual];
                int h = hs[node.Output], w = ws[node.Output];
                if (hs[node.Residual] != h || ws[node.Residual] != w)
                    residual = g.Node("Slice", [residual, g.Int64Constant(g.Name("starts"), 0, 0), g.Int64Constant(g.Name("ends"), h, w), g.Int64Constant(g.Name("axes"), 2, 3)]);
                y = g.Node("Add", [y, residual]);
            }
            values[node.Output] = node.Relu ? Relu(g, y) : y;
        }
        return (values[graph.Output], hs[graph.Output], ws[graph.Output]);
    }

    private static string Conv(OnnxGraph g, string x, string name, float[] weights, int outChannels, int inChannels, int kernel, int stride) =>
        g.Node("Conv", [x, g.Constant(g.Name(name + ".weight"), weights, outChannels, inChannels, kernel, kernel)], null,
            ("kernel_shape", new long[] { kernel, kernel }), ("strides", new long[] { stride, stride }));

    private static string Bn(OnnxGraph g, string x, string name, ReadOnlySpan<double> scale, ReadOnlySpan<double> shift)
    {
        int c = scale.Length;
        float[] s = new float[c], t = new float[c];
        for (int i = 0; i < c; i++) (s[i], t[i]) = ((float)scale[i], (float)shift[i]);
        string scaled = g.Node("Mul", [x, g.Constant(g.Name(name + ".scale"), s, 1, c, 1, 1)]);
        return g.Node("Add", [scaled, g.Constant(g.Name(name + ".shift"), t, 1, c, 1, 1)]);
    }

    private static string Relu(OnnxGraph g, string x) => g.Node("Relu", [x]);

    private static void Head(OnnxGraph g, string x, float[] fc, double fcBias, int mapHeight, int mapWidth)
    {
        string map = g.Node("Conv", [x, g.Constant("fc.weight", fc, 1, fc.Length, 1, 1), g.Constant("fc.bias", [(float)fcBias], 1)], "patch_logits",
            ("kernel_shape", new long[] { 1, 1 }));
        g.Node("ReduceMean", [map], "mean_logit", ("axes", new long[] { 2, 3 }), ("keepdims", 1L));
        g.Node("ReduceMax", [map], "max_logit", ("axes", new long[] { 2, 3 }), ("keepdims", 1L));
        g.Output("patch_logits", 1, 1, mapHeight, mapWidth);
        g.Output("mean_logit", 1, 1, 1, 1);
        g.Output("max_logit", 1, 1, 1, 1);
    }
}
