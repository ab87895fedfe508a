namespace FastLaDeDa.Bench.Report;

/// <summary>One line of the Table-6-style report; <see cref="ParityError"/> is null where no parity check ran.</summary>
public sealed record ReportRow(string Model, string Engine, int Threads, long Macs, long Parameters, Latency Latency,
                               double? ParityError, string Settings)
{
    /// <summary>Images per second at the median latency.</summary>
    public double ImagesPerSecond => Latency.ImagesPerSecond;
}
