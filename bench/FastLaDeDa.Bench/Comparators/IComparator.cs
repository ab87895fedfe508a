namespace FastLaDeDa.Bench.Comparators;

/// <summary>One way of running a model on one prepared 256×256 input, for the side-by-side report.</summary>
internal interface IComparator : IDisposable
{
    /// <summary>The engine, e.g. "ONNX Runtime 1.31 (CPU)".</summary>
    string Engine { get; }

    /// <summary>Threads it may use.</summary>
    int Threads { get; }

    /// <summary>How it is set up, for the report (session options, inference mode, ...).</summary>
    string Settings { get; }

    /// <summary>Runs once and returns the patch-logit map (row-major), for the parity check.</summary>
    float[] Map();

    /// <summary>Runs once, as fast as it can (pre-allocated inputs and outputs).</summary>
    void Run();
}
