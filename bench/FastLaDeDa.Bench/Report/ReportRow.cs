namespace FastLaDeDa.Bench.Report;

/// <summary>One line of the Table-6-style report.</summary>
public sealed record ReportRow(string Model, string Engine, int Threads, long Macs, long Parameters, Latency Latency,
                               double ImagesPerSecond, double? ParityError, string Settings);
