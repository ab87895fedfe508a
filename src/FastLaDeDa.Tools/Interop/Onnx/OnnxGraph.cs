using System.Runtime.InteropServices;

namespace FastLaDeDa.Interop.Onnx;

/// <summary>
/// Builds an ONNX model (opset 17, IR version 8) node by node and serialises it (field numbers
/// from onnx.proto3). Only what exporting convolutional patch networks needs: float tensors,
/// int64 tensors, and int / ints / float attributes.
/// </summary>
internal sealed class OnnxGraph
{
    private const int FloatType = 1, Int64Type = 7;
    private readonly List<ProtobufWriter> _nodes = [], _initializers = [], _inputs = [], _outputs = [];
    private int _counter;

    /// <summary>A fresh value name with <paramref name="prefix"/>.</summary>
    public string Name(string prefix) => $"{prefix}_{_counter++}";

    /// <summary>A float32 graph input of a fixed shape.</summary>
    public void Input(string name, params long[] shape) => _inputs.Add(ValueInfo(name, FloatType, shape));

    /// <summary>A float32 graph output of a fixed shape.</summary>
    public void Output(string name, params long[] shape) => _outputs.Add(ValueInfo(name, FloatType, shape));

    /// <summary>A float32 initializer (weights).</summary>
    public string Constant(string name, ReadOnlySpan<float> values, params long[] shape)
    {
        _initializers.Add(new ProtobufWriter()
            .PackedInt64(1, shape).Varint(2, FloatType).String(8, name)
            .Bytes(9, MemoryMarshal.AsBytes(values)));
        return name;
    }

    /// <summary>An int64 initializer (shapes, axes, slice bounds).</summary>
    public string Int64Constant(string name, params long[] values)
    {
        _initializers.Add(new ProtobufWriter()
            .PackedInt64(1, [values.Length]).Varint(2, Int64Type).String(8, name)
            .Bytes(9, MemoryMarshal.AsBytes(values.AsSpan())));
        return name;
    }

    /// <summary>Adds a node; returns its (single) output name.</summary>
    public string Node(string opType, string[] inputs, string? output = null, params (string Name, object Value)[] attributes)
    {
        output ??= Name(opType.ToLowerInvariant());
        var node = new ProtobufWriter();
        foreach (string input in inputs) node.String(1, input);
        node.String(2, output).String(3, output).String(4, opType);
        foreach (var (name, value) in attributes) node.Message(5, Attribute(name, value));
        _nodes.Add(node);
        return output;
    }

    /// <summary>The serialised ModelProto.</summary>
    public byte[] ToModel(string graphName, string producer)
    {
        var graph = new ProtobufWriter();
        foreach (var n in _nodes) graph.Message(1, n);
        graph.String(2, graphName);
        foreach (var t in _initializers) graph.Message(5, t);
        foreach (var i in _inputs) graph.Message(11, i);
        foreach (var o in _outputs) graph.Message(12, o);
        return new ProtobufWriter()
            .Varint(1, 8)                                                   // ir_version
            .String(2, producer)                                            // producer_name
            .Message(7, graph)
            .Message(8, new ProtobufWriter().String(1, "").Varint(2, 17))   // opset_import: ai.onnx 17
            .ToArray();
    }

    private static ProtobufWriter Attribute(string name, object value)
    {
        var a = new ProtobufWriter().String(1, name);
        return value switch
        {
            int i => a.Varint(3, i).Varint(20, 2),                 // INT
            long l => a.Varint(3, l).Varint(20, 2),
            float f => a.Float(2, f).Varint(20, 1),                // FLOAT
            string s => a.String(4, s).Varint(20, 3),              // STRING
            long[] ints => a.PackedInt64(8, ints).Varint(20, 7),   // INTS
            _ => throw new ArgumentException($"unsupported attribute type {value.GetType().Name}", nameof(value)),
        };
    }

    private static ProtobufWriter ValueInfo(string name, int elementType, long[] shape)
    {
        var dims = new ProtobufWriter();
        foreach (long d in shape) dims.Message(1, new ProtobufWriter().Varint(1, d));
        var tensorType = new ProtobufWriter().Varint(1, elementType).Message(2, dims);
        return new ProtobufWriter().String(1, name).Message(2, new ProtobufWriter().Message(1, tensorType));
    }
}
