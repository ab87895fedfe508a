using System.Buffers.Binary;
using FastLaDeDa.Errors;
using FastLaDeDa.Models;
using FastLaDeDa.Preprocessing;
using FastLaDeDa.Training.Models;
using FastLaDeDa.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace FastLaDeDa.Training.Export;

/// <summary>
/// Moves weights between the library's <see cref="StateDict"/> (safetensors or an official
/// <c>.pth</c>) and a TorchSharp <see cref="PatchLogitNet"/>: loading fills parameters and buffers
/// (BatchNorm running statistics; <c>num_batches_tracked</c> when present), exporting writes
/// safetensors with the metadata the inference engine reads.
/// </summary>
internal static class TorchStateDict
{
    /// <summary>
    /// Copies <paramref name="dict"/> into <paramref name="net"/>'s parameters and buffers. The dict
    /// is first checked against the model's tensor list: one <see cref="ModelMismatchException"/>
    /// lists every missing, unexpected and mis-shaped tensor; non-finite values are a
    /// <see cref="WeightsFormatException"/>. A <c>model</c> metadata entry naming another
    /// architecture is a mismatch too. Metadata naming the preprocessing sets <see cref="PatchLogitNet.Preprocess"/>.
    /// </summary>
    public static void Load(PatchLogitNet net, StateDict dict)
    {
        ArgumentNullException.ThrowIfNull(net);
        ArgumentNullException.ThrowIfNull(dict);
        var (model, preprocess, _) = ModelMetadata.Parse(dict.Metadata, dict.SourcePath);
        if (model is { } kind && kind != net.Kind)
            throw new ModelMismatchException(dict.SourcePath, $"the file holds a {ModelMetadata.ModelName(kind)} model, not {net.DisplayName}");
        if (net is LaDeDaNet ladeda && dict.Metadata.ContainsKey(LaDeDaSpec.ReceptiveFieldMetadataKey)
            && LaDeDaSpec.ReceptiveFieldOf(dict) is var rf && rf != ladeda.ReceptiveField)
            throw new ModelMismatchException(dict.SourcePath, $"the file holds LaDeDa{rf}, not {net.DisplayName}");
        StateDictValidator.Validate(dict, net.TensorSpecs, net.DisplayName);

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        foreach (var (name, target) in net.state_dict())
        {
            if (!dict.Tensors.TryGetValue(name, out var source)) continue; // only optional tensors (num_batches_tracked) may be absent
            using Tensor value = ToTorch(source, target.dtype);
            target.copy_(value.view(target.shape));
        }
        if (preprocess is { } p) net.Preprocess = p;
    }

    /// <summary>A Tiny-LaDeDa network holding <paramref name="dict"/>'s weights; the preprocessing comes from the metadata, else <paramref name="preprocess"/>.</summary>
    public static TinyLaDeDaNet LoadTiny(StateDict dict, PreprocessKind preprocess = PreprocessKind.RightDiag)
    {
        var net = new TinyLaDeDaNet(preprocess);
        Load(net, dict);
        return net;
    }

    /// <summary>
    /// A LaDeDa network holding <paramref name="dict"/>'s weights, its receptive field from the
    /// metadata or the conv2 shapes (<see cref="LaDeDaSpec.ReceptiveFieldOf"/>), its preprocessing
    /// from the metadata, else <paramref name="preprocess"/>.
    /// </summary>
    public static LaDeDaNet LoadLaDeDa(StateDict dict, PreprocessKind preprocess = PreprocessKind.Npr)
    {
        ArgumentNullException.ThrowIfNull(dict);
        var net = new LaDeDaNet(LaDeDaSpec.ReceptiveFieldOf(dict), preprocess);
        Load(net, dict);
        return net;
    }

    /// <summary>
    /// The network's state dict in PyTorch order with the metadata <c>model</c>, <c>preprocess</c>,
    /// <c>pooling</c> (and <c>receptive_field</c> for LaDeDa) plus <paramref name="extraMetadata"/>.
    /// With <paramref name="float16"/> the learnable tensors are stored as F16; BatchNorm running
    /// statistics stay F32 (they are tiny and 1/sqrt(var + eps) is sensitive to rounding) and
    /// <c>num_batches_tracked</c> stays I64.
    /// </summary>
    public static StateDict Export(PatchLogitNet net, PoolingKind pooling = PoolingKind.Mean, bool float16 = false,
                                   IEnumerable<KeyValuePair<string, string>>? extraMetadata = null)
    {
        ArgumentNullException.ThrowIfNull(net);
        var metadata = new ModelMetadata(net.Kind, net.Preprocess, pooling).ToDictionary();
        if (net is LaDeDaNet ladeda) metadata[LaDeDaSpec.ReceptiveFieldMetadataKey] = ladeda.ReceptiveField.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var (key, value) in extraMetadata ?? [])
        {
            if (metadata.ContainsKey(key)) throw new ArgumentException($"metadata key '{key}' is set by the exporter", nameof(extraMetadata));
            metadata[key] = value;
        }

        var learnable = net.named_parameters().Select(p => p.name).ToHashSet(StringComparer.Ordinal);
        var stateDict = net.state_dict();
        var tensors = new List<KeyValuePair<string, TensorData>>();
        foreach (var spec in net.TensorSpecs)
        {
            if (!stateDict.TryGetValue(spec.Name, out var t))
                throw new InvalidOperationException($"{net.DisplayName} has no tensor {spec.Name}; the module and its spec disagree");
            tensors.Add(new(spec.Name, FromTorch(t, float16 && learnable.Contains(spec.Name))));
        }
        if (tensors.Count != stateDict.Count)
            throw new InvalidOperationException($"{net.DisplayName} has tensors its spec does not list: {string.Join(", ", stateDict.Keys.Except(net.TensorSpecs.Select(s => s.Name)))}");
        return new StateDict(tensors, metadata);
    }

    /// <summary><see cref="Export"/> written to a safetensors file.</summary>
    public static void Save(PatchLogitNet net, string path, PoolingKind pooling = PoolingKind.Mean, bool float16 = false,
                            IEnumerable<KeyValuePair<string, string>>? extraMetadata = null) =>
        SafeTensors.Write(path, Export(net, pooling, float16, extraMetadata));

    /// <summary>A CPU torch tensor of <paramref name="dtype"/> holding <paramref name="data"/>'s values.</summary>
    public static Tensor ToTorch(TensorData data, ScalarType dtype = ScalarType.Float32)
    {
        ArgumentNullException.ThrowIfNull(data);
        long[] shape = [.. data.Shape.Select(d => (long)d)];
        return dtype switch
        {
            ScalarType.Int64 => tensor(data.ToInt64(), shape),
            ScalarType.Float32 => tensor(data.ToFloat32(), shape),
            _ => tensor(data.ToFloat32(), shape).to_type(dtype),
        };
    }

    /// <summary>A tensor's values as <see cref="TensorData"/>: I64 for integer tensors, else F32 (or F16 when asked).</summary>
    public static TensorData FromTorch(Tensor t, bool float16 = false)
    {
        ArgumentNullException.ThrowIfNull(t);
        int[] shape = [.. t.shape.Select(d => checked((int)d))];
        using Tensor cpu = t.detach().cpu().contiguous();
        if (t.dtype == ScalarType.Int64)
        {
            long[] longs = cpu.data<long>().ToArray();
            var bytes = new byte[longs.Length * 8];
            for (int i = 0; i < longs.Length; i++) BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(i * 8), longs[i]);
            return new TensorData(TensorDType.Int64, shape, bytes);
        }
        using Tensor f32 = cpu.to_type(ScalarType.Float32);
        float[] values = f32.data<float>().ToArray();
        if (!float16) return TensorData.FromFloat32(values, shape);
        var halves = new byte[values.Length * 2];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteHalfLittleEndian(halves.AsSpan(i * 2), (Half)values[i]);
        return new TensorData(TensorDType.Float16, shape, halves);
    }
}
