namespace FastLaDeDa.Bench.Files;

/// <summary>A generated input: its spec, where it was written, its size, and which encoder wrote it.</summary>
public sealed record BenchFile(BenchFileSpec Spec, string Path, long Bytes, string Encoder);
