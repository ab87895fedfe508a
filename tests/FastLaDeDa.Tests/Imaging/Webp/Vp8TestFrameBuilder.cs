using FastLaDeDa.Imaging.Formats.Webp;

namespace FastLaDeDa.Tests.Imaging.Webp;

/// <summary>
/// Writes VP8 key frames with header features cwebp never uses (segment maps, relative segment
/// values, loop-filter deltas, several token partitions, odd partition tables), following the
/// bitstream layout of RFC 6386 section 19. Every macroblock is 16x16-predicted; its only
/// coefficient, if any, is the DC of its Y2 block (a flat brightness step of the whole
/// macroblock, scaled by its segment's quantizer), so the loop-filter settings decide visibly
/// which macroblock edges get smoothed.
/// </summary>
internal sealed class Vp8TestFrameBuilder
{
    public int Width { get; init; } = 64;
    public int Height { get; init; } = 48;
    public bool Segments { get; init; }
    public bool UpdateSegmentMap { get; init; }
    public bool SegmentUpdateData { get; init; } = true;
    public bool AbsoluteSegmentValues { get; init; }
    public int[] SegmentQuantizers { get; init; } = [0, 0, 0, 0];
    public int[] SegmentFilterLevels { get; init; } = [0, 0, 0, 0];
    public int[] SegmentTreeProbabilities { get; init; } = [128, 128, 128];
    public bool SimpleFilter { get; init; }
    public int FilterLevel { get; init; }
    public int Sharpness { get; init; }
    public int[]? ReferenceDeltas { get; init; }
    public int[]? ModeDeltas { get; init; }
    public int PartitionsLog2 { get; init; }
    /// <summary>Sizes written in the partition table (all partitions but the last); null: the real ones.</summary>
    public int[]? DeclaredPartitionSizes { get; init; }
    /// <summary>Bytes of filler after each token partition's data.</summary>
    public int PartitionBytes { get; init; } = 3;

    /// <summary>Token probability of entry <paramref name="i"/> for block type, band and context (the defaults).</summary>
    private static int Probability(int type, int band, int context, int i) =>
        Vp8TokenProbabilityTables.Default[((type * 8 + band) * 3 + context) * 11 + i];

    /// <summary>
    /// The tokens of a 16x16 macroblock whose only coefficient is the Y2 DC <paramref name="dc"/>
    /// (RFC 6386 section 13): the Y2 block's DC token and end of block, then an end of block for
    /// each luma block (from position 1) and chroma block, all with context 0 since no
    /// neighbour has luma or chroma coefficients.
    /// </summary>
    private static void WriteDcOnlyTokens(Vp8TestBoolEncoder e, int dc, int y2Context)
    {
        const int LumaAc = 0, Y2 = 1, Chroma = 2;
        int v = Math.Abs(dc);
        e.Bool(Probability(Y2, 0, y2Context, 0), true); // not end of block
        e.Bool(Probability(Y2, 0, y2Context, 1), true); // not zero
        e.Bool(Probability(Y2, 0, y2Context, 2), v > 1);
        if (v > 1)
        {
            int P(int i) => Probability(Y2, 0, y2Context, i);
            e.Bool(P(3), v > 4);
            if (v <= 4)
            {
                e.Bool(P(4), v > 2);
                if (v > 2) e.Bool(P(5), v == 4);
            }
            else
            {
                e.Bool(P(6), false); // categories 1 and 2 (5..10)
                e.Bool(P(7), v > 6);
                if (v <= 6) e.Bool(159, v == 6);
                else
                {
                    e.Bool(165, v - 7 >= 2);
                    e.Bool(145, ((v - 7) & 1) != 0);
                }
            }
        }
        e.Bool(128, dc < 0);
        e.Bool(Probability(Y2, 1, v > 1 ? 2 : 1, 0), false); // end of block at position 1 (band 1)
        for (int i = 0; i < 16; i++) e.Bool(Probability(LumaAc, 1, 0, 0), false);
        for (int i = 0; i < 8; i++) e.Bool(Probability(Chroma, 0, 0, 0), false);
    }
    /// <summary>Cuts the chunk to this many bytes (negative: that many fewer); null keeps all.</summary>
    public int? TruncateTo { get; init; }

    /// <summary>The luma mode, chroma mode, segment and Y2 DC token (-10..10, 0 = skipped) of macroblock (x, y).</summary>
    public Func<int, int, (byte Luma, byte Chroma, int Segment, int Dc)> Macroblock { get; init; } =
        (x, y) => ((byte)((x + 2 * y) % 4), (byte)((x + y + 1) % 4), (3 * x + y) % 4, (x * 7 + y * 3) % 11 - 5);

    /// <summary>The "VP8 " chunk payload.</summary>
    public byte[] Build()
    {
        var e = new Vp8TestBoolEncoder();
        e.Literal(0, 1); // colour space
        e.Literal(0, 1); // clamping type
        e.Flag(Segments);
        if (Segments)
        {
            e.Flag(UpdateSegmentMap);
            e.Flag(SegmentUpdateData);
            if (SegmentUpdateData)
            {
                e.Flag(AbsoluteSegmentValues);
                foreach (int q in SegmentQuantizers) OptionalSigned(e, q, 7);
                foreach (int level in SegmentFilterLevels) OptionalSigned(e, level, 6);
            }
            if (UpdateSegmentMap)
                foreach (int p in SegmentTreeProbabilities)
                {
                    e.Flag(true);
                    e.Literal(p, 8);
                }
        }
        e.Flag(SimpleFilter);
        e.Literal(FilterLevel, 6);
        e.Literal(Sharpness, 3);
        bool deltas = ReferenceDeltas is not null || ModeDeltas is not null;
        e.Flag(deltas);
        if (deltas)
        {
            e.Flag(true);
            foreach (int d in ReferenceDeltas ?? [0, 0, 0, 0]) OptionalSigned(e, d, 6);
            foreach (int d in ModeDeltas ?? [0, 0, 0, 0]) OptionalSigned(e, d, 6);
        }
        e.Literal(PartitionsLog2, 2);
        e.Literal(60, 7); // base quantizer index
        for (int i = 0; i < 5; i++) e.Flag(false); // no quantizer deltas
        e.Flag(false); // refresh entropy probabilities
        ReadOnlySpan<byte> update = Vp8TokenProbabilityTables.Update;
        for (int i = 0; i < update.Length; i++) e.Bool(update[i], false); // keep the default token probabilities
        const int SkipProbability = 40;
        e.Flag(true);
        e.Literal(SkipProbability, 8);

        int partitions = 1 << PartitionsLog2;
        var tokens = new Vp8TestBoolEncoder[partitions];
        for (int p = 0; p < partitions; p++) tokens[p] = new Vp8TestBoolEncoder();
        int mbWidth = (Width + 15) / 16;
        var aboveHasDc = new bool[mbWidth];
        for (int y = 0; y < (Height + 15) / 16; y++)
        {
            bool leftHasDc = false;
            for (int x = 0; x < mbWidth; x++)
            {
                var (luma, chroma, segment, dc) = Macroblock(x, y);
                if (Segments && UpdateSegmentMap)
                {
                    e.Bool(SegmentTreeProbabilities[0], segment >= 2);
                    if (segment < 2) e.Bool(SegmentTreeProbabilities[1], segment == 1);
                    else e.Bool(SegmentTreeProbabilities[2], segment == 3);
                }
                e.Bool(SkipProbability, dc == 0);
                e.Bool(145, true); // 16x16 prediction
                // Tree: DC = 0 0, VE = 0 1, HE = 1 0, TM = 1 1 (probabilities 156, then 163 or 128).
                bool high = luma is Vp8PredictionMode.HE or Vp8PredictionMode.TM;
                e.Bool(156, high);
                e.Bool(high ? 128 : 163, luma is Vp8PredictionMode.TM or Vp8PredictionMode.VE);
                // Chroma tree: DC = 0, VE = 1 0, HE = 1 1 0, TM = 1 1 1.
                e.Bool(142, chroma != Vp8PredictionMode.DC);
                if (chroma != Vp8PredictionMode.DC)
                {
                    e.Bool(114, chroma != Vp8PredictionMode.VE);
                    if (chroma != Vp8PredictionMode.VE) e.Bool(183, chroma == Vp8PredictionMode.TM);
                }
                if (dc != 0) WriteDcOnlyTokens(tokens[y % partitions], dc, (aboveHasDc[x] ? 1 : 0) + (leftHasDc ? 1 : 0));
                // A skipped 16x16 macroblock resets the Y2 context too.
                aboveHasDc[x] = leftHasDc = dc != 0;
            }
        }
        byte[] first = e.Finish();
        byte[][] tokenData = [.. tokens.Select(t => t.Finish())];

        var chunk = new List<byte>();
        int tag = (first.Length << 5) | (1 << 4); // key frame, profile 0, shown
        chunk.AddRange([(byte)tag, (byte)(tag >> 8), (byte)(tag >> 16), 0x9d, 0x01, 0x2a,
            (byte)Width, (byte)(Width >> 8), (byte)Height, (byte)(Height >> 8)]);
        chunk.AddRange(first);
        for (int p = 0; p < partitions - 1; p++)
        {
            int size = DeclaredPartitionSizes?[p] ?? tokenData[p].Length + PartitionBytes;
            chunk.AddRange([(byte)size, (byte)(size >> 8), (byte)(size >> 16)]);
        }
        for (int p = 0; p < partitions; p++)
        {
            chunk.AddRange(tokenData[p]);
            for (int i = 0; i < PartitionBytes; i++) chunk.Add((byte)(17 * p + i));
        }
        byte[] bytes = [.. chunk];
        return TruncateTo is int length ? bytes[..(length < 0 ? bytes.Length + length : length)] : bytes;
    }

    private static void OptionalSigned(Vp8TestBoolEncoder e, int value, int bits)
    {
        e.Flag(value != 0);
        if (value != 0) e.Signed(value, bits);
    }
}
