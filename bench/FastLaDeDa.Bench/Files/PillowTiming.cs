namespace FastLaDeDa.Bench.Files;

/// <summary>Pillow's medians for one file (bench/python/pillow_files.py); a step is null when it was not timed.</summary>
public sealed record PillowTiming(PillowStep? Decode, PillowStep? DecodeResize, PillowStep? DraftResize, string? Error);
