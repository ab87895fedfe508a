namespace FastLaDeDa.Bench.Files;

/// <summary>Median wall and thread-CPU milliseconds of one Pillow step.</summary>
public readonly record struct PillowStep(double WallMs, double CpuMs, int Runs);
