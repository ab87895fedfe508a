using FastLaDeDa.Preprocessing;
using Microsoft.ML.OnnxRuntime;

namespace FastLaDeDa.Bench.Comparators;

/// <summary>
/// ONNX Runtime (CPU execution provider) on our ONNX export of the same weights, at its best:
/// all graph optimizations, sequential execution, fixed intra-op threads, and the OrtValue API with
/// input and output buffers allocated once (no per-run tensor allocation or copies).
/// </summary>
internal sealed class OnnxRuntimeComparator : IComparator
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly OrtValue _input, _map, _mean, _max;
    private readonly float[] _mapBuffer;
    private readonly string[] _inputNames = ["input"], _outputNames = ["patch_logits", "mean_logit", "max_logit"];
    // Built once; Run still allocates a few small arrays per call (native name and handle lists), not tensors.
    private readonly OrtValue[] _inputs, _outputs;

    public OnnxRuntimeComparator(byte[] onnxModel, ChwTensor input, int mapHeight, int mapWidth, int threads)
    {
        Threads = threads;
        var options = new SessionOptions
        {
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        _session = new InferenceSession(onnxModel, options);
        _mapBuffer = new float[mapHeight * mapWidth];
        float[] mean = new float[1], max = new float[1];
        // CreateTensorValueFromMemory pins each array until its OrtValue is disposed; ORT only reads the input.
        _input = OrtValue.CreateTensorValueFromMemory(input.Data, [1, 3, input.Height, input.Width]);
        _map = OrtValue.CreateTensorValueFromMemory(_mapBuffer, [1, 1, mapHeight, mapWidth]);
        _mean = OrtValue.CreateTensorValueFromMemory(mean, [1, 1, 1, 1]);
        _max = OrtValue.CreateTensorValueFromMemory(max, [1, 1, 1, 1]);
        _inputs = [_input];
        _outputs = [_map, _mean, _max];
    }

    public string Engine => $"ONNX Runtime {typeof(InferenceSession).Assembly.GetName().Version?.ToString(3)} (CPU EP)";
    public int Threads { get; }
    public string Settings => $"ORT_ENABLE_ALL, sequential, intra-op {Threads}, OrtValue I/O pre-allocated; input = normalized tensor";

    public float[] Map()
    {
        Run();
        return (float[])_mapBuffer.Clone();
    }

    public void Run() => _session.Run(_runOptions, _inputNames, _inputs, _outputNames, _outputs);

    public void Dispose()
    {
        foreach (var v in new[] { _input, _map, _mean, _max }) v.Dispose();
        _runOptions.Dispose();
        _session.Dispose();
    }
}
