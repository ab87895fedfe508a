namespace FastLaDeDa.Imaging.Formats.Webp;

/// <summary>
/// Segment-based adjustments (RFC 6386 section 9.3): up to four segments, each with its own
/// quantizer and loop-filter level, absolute or relative to the frame's, and the tree
/// probabilities of the per-macroblock segment ids.
/// </summary>
internal sealed class Vp8SegmentHeader
{
    /// <summary>Number of segments a frame can have.</summary>
    public const int SegmentCount = 4;

    /// <summary>True when macroblocks are split into segments.</summary>
    public bool Enabled { get; private set; }

    /// <summary>True when each macroblock carries its segment id in the first partition.</summary>
    public bool UpdateMap { get; private set; }

    /// <summary>True when <see cref="Quantizer"/> and <see cref="FilterLevel"/> replace the frame's values instead of adjusting them.</summary>
    public bool AbsoluteDelta { get; private set; } = true;

    /// <summary>Per-segment quantizer index or delta.</summary>
    public sbyte[] Quantizer { get; } = new sbyte[SegmentCount];

    /// <summary>Per-segment loop-filter level or delta.</summary>
    public sbyte[] FilterLevel { get; } = new sbyte[SegmentCount];

    /// <summary>Probabilities of the segment-id tree (255 when not transmitted).</summary>
    public byte[] TreeProbabilities { get; } = [255, 255, 255];

    /// <summary>Reads the segment header from the first partition.</summary>
    public static Vp8SegmentHeader Read(ref Vp8BoolDecoder reader)
    {
        var header = new Vp8SegmentHeader { Enabled = reader.GetFlag() };
        if (!header.Enabled) return header;
        header.UpdateMap = reader.GetFlag();
        if (reader.GetFlag())
        {
            // Without this update the values stay absolute zeros (libwebp's reset state).
            header.AbsoluteDelta = reader.GetFlag();
            for (int s = 0; s < SegmentCount; s++) header.Quantizer[s] = (sbyte)(reader.GetFlag() ? reader.GetSignedValue(7) : 0);
            for (int s = 0; s < SegmentCount; s++) header.FilterLevel[s] = (sbyte)(reader.GetFlag() ? reader.GetSignedValue(6) : 0);
        }
        if (header.UpdateMap)
            for (int i = 0; i < header.TreeProbabilities.Length; i++) header.TreeProbabilities[i] = (byte)(reader.GetFlag() ? reader.GetValue(8) : 255);
        return header;
    }
}
