namespace FastLaDeDa.Imaging.Formats.Webp;

/// <summary>
/// Loop-filter header (RFC 6386 section 9.4): simple or normal filter, level, sharpness and the
/// reference-frame / mode deltas, with libwebp's precomputation of each segment's strengths.
/// </summary>
internal sealed class Vp8FilterHeader
{
    private const int DeltaCount = 4;

    /// <summary>True for the simple filter (luma only), false for the normal one.</summary>
    public bool Simple { get; private set; }

    /// <summary>Frame filter level, 0..63 (0 turns the filter off).</summary>
    public int Level { get; private set; }

    /// <summary>Sharpness, 0..7.</summary>
    public int Sharpness { get; private set; }

    /// <summary>Whether the deltas apply.</summary>
    public bool UseDeltas { get; private set; }

    /// <summary>Level deltas per reference frame (a key frame only uses the intra one, index 0).</summary>
    public int[] ReferenceDeltas { get; } = new int[DeltaCount];

    /// <summary>Level deltas per mode (a key frame only uses the 4x4 one, index 0).</summary>
    public int[] ModeDeltas { get; } = new int[DeltaCount];

    /// <summary>Which filter runs: 0 none, 1 simple, 2 normal.</summary>
    public int FilterType => Level == 0 ? 0 : Simple ? 1 : 2;

    /// <summary>Reads the filter header from the first partition.</summary>
    public static Vp8FilterHeader Read(ref Vp8BoolDecoder reader)
    {
        var header = new Vp8FilterHeader
        {
            Simple = reader.GetFlag(),
            Level = reader.GetValue(6),
            Sharpness = reader.GetValue(3),
            UseDeltas = reader.GetFlag(),
        };
        if (header.UseDeltas && reader.GetFlag())
        {
            for (int i = 0; i < DeltaCount; i++)
                if (reader.GetFlag()) header.ReferenceDeltas[i] = reader.GetSignedValue(6);
            for (int i = 0; i < DeltaCount; i++)
                if (reader.GetFlag()) header.ModeDeltas[i] = reader.GetSignedValue(6);
        }
        return header;
    }

    /// <summary>
    /// The strengths indexed by <c>segment * 2 + (is4x4 ? 1 : 0)</c>, as libwebp's
    /// <c>PrecomputeFilterStrengths</c>; <see cref="Vp8FilterStrength.FilterInner"/> there is the 4x4 flag,
    /// to be or-ed with "has coefficients" per macroblock.
    /// </summary>
    public Vp8FilterStrength[] Strengths(Vp8SegmentHeader segments)
    {
        var strengths = new Vp8FilterStrength[Vp8SegmentHeader.SegmentCount * 2];
        for (int s = 0; s < Vp8SegmentHeader.SegmentCount; s++)
        {
            int baseLevel = Level;
            if (segments.Enabled)
            {
                baseLevel = segments.FilterLevel[s];
                if (!segments.AbsoluteDelta) baseLevel += Level;
            }
            for (int is4x4 = 0; is4x4 <= 1; is4x4++)
            {
                int level = baseLevel;
                if (UseDeltas)
                {
                    level += ReferenceDeltas[0];
                    if (is4x4 != 0) level += ModeDeltas[0];
                }
                level = Math.Clamp(level, 0, 63);
                if (level == 0)
                {
                    strengths[s * 2 + is4x4] = new Vp8FilterStrength(0, 0, 0, is4x4 != 0);
                    continue;
                }
                int interior = level;
                if (Sharpness > 0)
                {
                    interior >>= Sharpness > 4 ? 2 : 1;
                    interior = Math.Min(interior, 9 - Sharpness);
                }
                interior = Math.Max(interior, 1);
                int hev = level >= 40 ? 2 : level >= 15 ? 1 : 0;
                strengths[s * 2 + is4x4] = new Vp8FilterStrength(2 * level + interior, interior, hev, is4x4 != 0);
            }
        }
        return strengths;
    }
}
