using System.Buffers;

namespace FastLaDeDa.Imaging.Resize;

/// <summary>
/// The horizontal taps rearranged for the vector passes, which compute a group of four output
/// pixels at a time, one 128-bit lane of four int32 (R, G, B, unused) per output pixel. Group
/// <c>g</c> covers outputs <see cref="GroupStart"/>(g) .. +3 (the last group overlaps the one
/// before it when the width is not a multiple of 4). <see cref="Weights"/> holds, for group
/// <c>g</c>, tap <c>t</c> and lane <c>l</c>, the weight of output <c>GroupStart(g) + l</c> four
/// times at <c>((g · MaxCount + t) · 4 + l) · 4</c> (0 past the pixel's tap count): a group's
/// weights are contiguous, so the loads of all its taps stream from one place (a tap-major layout
/// put them 4 KiB apart for 256 outputs, all in one L1 set, which thrashed for 33-tap kernels).
/// <see cref="Offsets"/> holds each output's first source byte. The arrays are rented;
/// <see cref="Dispose"/> returns them.
/// </summary>
internal readonly struct HorizontalTapTable : IDisposable
{
    /// <summary>Source pixels covered by one 16-byte window load (5 × 3 = 15 bytes).</summary>
    public const int TapsPerWindow = 5;

    /// <summary>Builds the table for <paramref name="axis"/>.</summary>
    public HorizontalTapTable(ResampleAxis axis)
    {
        int outputs = axis.OutputSize;
        if (outputs < 4) throw new ArgumentException("the vector passes need at least 4 outputs", nameof(axis));
        int maxCount = 0, maxOffset = 0;
        for (int x = 0; x < outputs; x++)
        {
            maxCount = Math.Max(maxCount, axis.Count[x]);
            maxOffset = Math.Max(maxOffset, axis.Start[x] * 3);
        }
        MaxCount = maxCount;
        int windows = (maxCount + TapsPerWindow - 1) / TapsPerWindow;
        // The last window of the rightmost output starts here and reads 16 bytes.
        BytesRead = maxOffset + (windows - 1) * TapsPerWindow * 3 + 16;

        Outputs = outputs;
        Groups = (outputs + 3) / 4;
        Weights = ArrayPool<int>.Shared.Rent(Groups * maxCount * 16);
        Offsets = ArrayPool<int>.Shared.Rent(outputs);
        for (int x = 0; x < outputs; x++)
            Offsets[x] = axis.Start[x] * 3;
        for (int g = 0; g < Groups; g++)
            for (int t = 0; t < maxCount; t++)
                for (int lane = 0; lane < 4; lane++)
                {
                    int x = GroupStart(g) + lane;
                    int w = t < axis.Count[x] ? axis.FixedWeights[x * axis.KernelSize + t] : 0;
                    Weights.AsSpan(((g * maxCount + t) * 4 + lane) * 4, 4).Fill(w);
                }
    }

    /// <summary>Output pixels (at least 4).</summary>
    public int Outputs { get; }

    /// <summary>Groups of four output pixels.</summary>
    public int Groups { get; }

    /// <summary>The first output pixel of group <paramref name="group"/>.</summary>
    public int GroupStart(int group) => Math.Min(group * 4, Outputs - 4);

    /// <summary>The weights, 4 copies per (group, tap, output), group-major.</summary>
    public int[] Weights { get; }

    /// <summary>Byte offset in a source row of each output pixel's first tap.</summary>
    public int[] Offsets { get; }

    /// <summary>The largest tap count; taps past an output's own count weigh 0.</summary>
    public int MaxCount { get; }

    /// <summary>Bytes from the start of a row that the window loads may read (a row nearer the end of the buffer is copied first).</summary>
    public int BytesRead { get; }

    /// <summary>Returns the rented arrays.</summary>
    public void Dispose()
    {
        ArrayPool<int>.Shared.Return(Weights);
        ArrayPool<int>.Shared.Return(Offsets);
    }
}
