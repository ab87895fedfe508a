using FastLaDeDa.Preprocessing;
using FastLaDeDa.Training.Models;
using FastLaDeDa.Training.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace FastLaDeDa.Bench.Comparators;

/// <summary>
/// TorchSharp (libtorch CPU) running the trainer's reference model at its best: eval mode,
/// inference mode (no autograd), a fixed thread count, the input tensor created once. glibc's
/// malloc thresholds must be raised for the process (bench/report.sh does it), or every call
/// pays page faults for memory glibc just returned to the OS.
/// </summary>
internal sealed class TorchSharpComparator : IComparator
{
    private readonly PatchLogitNet _net;
    private readonly Tensor _input;

    public TorchSharpComparator(PatchLogitNet net, ChwTensor input, int threads)
    {
        Threads = threads;
        _net = net;
        _net.eval();
        _input = tensor(input.Data, [1, 3, input.Height, input.Width]);
    }

    public string Engine => $"TorchSharp {typeof(torch).Assembly.GetName().Version?.ToString(3)} (libtorch CPU)";
    public int Threads { get; }
    public string Settings => $"eval + inference_mode, {Threads} thread(s), MALLOC_MMAP_THRESHOLD_={Environment.GetEnvironmentVariable("MALLOC_MMAP_THRESHOLD_") ?? "unset (slow!)"}; input = normalized tensor{(OneDnnCacheGuard.Applied ? $"; oneDNN capped at {OneDnnCacheGuard.IsaCap} (this CPU reports no caches)" : "")}";

    /// <summary>Also sets libtorch's (process-wide) thread count for the timed runs that follow: the report always calls Map first.</summary>
    public float[] Map()
    {
        torch.set_num_threads(Threads);
        using var mode = inference_mode();
        using Tensor map = _net.forward(_input);
        return map.data<float>().ToArray();
    }

    public void Run()
    {
        using var mode = inference_mode();
        using Tensor map = _net.forward(_input);
        using Tensor mean = map.mean();
    }

    public void Dispose()
    {
        _input.Dispose();
        _net.Dispose();
    }
}
