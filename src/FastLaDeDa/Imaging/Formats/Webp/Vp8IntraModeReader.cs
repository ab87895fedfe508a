using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace FastLaDeDa.Imaging.Formats.Webp;

/// <summary>
/// Reads the per-macroblock header of a key frame from the first partition (RFC 6386 sections
/// 11.2-11.5 and 19.3): segment id, skip flag, luma and chroma prediction modes. 4x4 modes are
/// coded with probabilities that depend on the modes above and to the left, kept here.
/// </summary>
internal sealed class Vp8IntraModeReader
{
    private readonly byte[] _above;
    private readonly byte[] _left = new byte[4];

    /// <summary>Creates the reader for a frame <paramref name="macroblockWidth"/> macroblocks wide.</summary>
    public Vp8IntraModeReader(int macroblockWidth)
    {
        // Outside the frame the context is DC (both above the first row and left of each row).
        _above = new byte[4 * macroblockWidth];
    }

    /// <summary>
    /// Reads one row of macroblocks into <paramref name="modes"/> and their 4x4 modes into
    /// <paramref name="subblockModes"/> (16 per macroblock, raster order).
    /// </summary>
    public void ReadRow(ref Vp8BoolDecoder decoder, Vp8SegmentHeader segments, int skipProbability,
        Span<Vp8MacroblockModes> modes, Span<byte> subblockModes)
    {
        // A local copy stays in registers (see Vp8BoolDecoder).
        Vp8BoolDecoder reader = decoder;
        Span<byte> aboveModes = _above, leftModes = _left;
        leftModes.Clear();
        for (int x = 0; x < modes.Length; x++)
        {
            ref Vp8MacroblockModes mb = ref modes[x];
            mb.Segment = 0;
            if (segments.UpdateMap)
            {
                byte[] p = segments.TreeProbabilities;
                mb.Segment = (byte)(reader.GetBit(p[0]) == 0 ? reader.GetBit(p[1]) : reader.GetBit(p[2]) + 2);
            }
            mb.Skip = skipProbability >= 0 && reader.GetBit(skipProbability) != 0;
            mb.Is4x4 = reader.GetBit(145) == 0;
            Span<byte> above = aboveModes.Slice(4 * x, 4);
            if (!mb.Is4x4)
            {
                byte mode = reader.GetBit(156) != 0
                    ? (reader.GetBit(128) != 0 ? Vp8PredictionMode.TM : Vp8PredictionMode.HE)
                    : (reader.GetBit(163) != 0 ? Vp8PredictionMode.VE : Vp8PredictionMode.DC);
                mb.LumaMode = mode;
                above.Fill(mode);
                leftModes.Fill(mode);
            }
            else
            {
                Span<byte> sub = subblockModes.Slice(16 * x, 16);
                for (int y = 0; y < 4; y++)
                {
                    int left = leftModes[y];
                    for (int i = 0; i < 4; i++)
                    {
                        // Modes are 0..9 by construction, so the row of 9 probabilities is inside the 900.
                        left = ReadSubblockMode(ref reader, ref Unsafe.Add(ref MemoryMarshal.GetReference(Probabilities), (above[i] * 10 + left) * 9));
                        above[i] = (byte)left;
                        sub[4 * y + i] = (byte)left;
                    }
                    leftModes[y] = (byte)left;
                }
            }
            mb.ChromaMode = reader.GetBit(142) == 0 ? Vp8PredictionMode.DC
                : reader.GetBit(114) == 0 ? Vp8PredictionMode.VE
                : reader.GetBit(183) != 0 ? Vp8PredictionMode.TM : Vp8PredictionMode.HE;
        }
        decoder = reader;
    }

    /// <summary>The 4x4 mode tree of RFC 6386 section 11.2.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static byte ReadSubblockMode(ref Vp8BoolDecoder reader, ref byte p)
    {
        if (reader.GetBit(p) == 0) return Vp8PredictionMode.DC;
        if (reader.GetBit(Unsafe.Add(ref p, 1)) == 0) return Vp8PredictionMode.TM;
        if (reader.GetBit(Unsafe.Add(ref p, 2)) == 0) return Vp8PredictionMode.VE;
        if (reader.GetBit(Unsafe.Add(ref p, 3)) == 0)
            return reader.GetBit(Unsafe.Add(ref p, 4)) == 0 ? Vp8PredictionMode.HE
                : reader.GetBit(Unsafe.Add(ref p, 5)) == 0 ? Vp8PredictionMode.RD : Vp8PredictionMode.VR;
        if (reader.GetBit(Unsafe.Add(ref p, 6)) == 0) return Vp8PredictionMode.LD;
        if (reader.GetBit(Unsafe.Add(ref p, 7)) == 0) return Vp8PredictionMode.VL;
        return reader.GetBit(Unsafe.Add(ref p, 8)) == 0 ? Vp8PredictionMode.HD : Vp8PredictionMode.HU;
    }

    /// <summary>
    /// Key-frame 4x4 mode probabilities [above mode][left mode][9] (RFC 6386 section 11.5).
    /// Transcribed from the RFC; checked against two independent decoders' copies.
    /// </summary>
    private static ReadOnlySpan<byte> Probabilities =>
    [
        231, 120,  48,  89, 115, 113, 120, 152, 112, // above 0, left 0
        152, 179,  64, 126, 170, 118,  46,  70,  95, // above 0, left 1
        175,  69, 143,  80,  85,  82,  72, 155, 103, // above 0, left 2
         56,  58,  10, 171, 218, 189,  17,  13, 152, // above 0, left 3
        114,  26,  17, 163,  44, 195,  21,  10, 173, // above 0, left 4
        121,  24,  80, 195,  26,  62,  44,  64,  85, // above 0, left 5
        144,  71,  10,  38, 171, 213, 144,  34,  26, // above 0, left 6
        170,  46,  55,  19, 136, 160,  33, 206,  71, // above 0, left 7
         63,  20,   8, 114, 114, 208,  12,   9, 226, // above 0, left 8
         81,  40,  11,  96, 182,  84,  29,  16,  36, // above 0, left 9
        134, 183,  89, 137,  98, 101, 106, 165, 148, // above 1, left 0
         72, 187, 100, 130, 157, 111,  32,  75,  80, // above 1, left 1
         66, 102, 167,  99,  74,  62,  40, 234, 128, // above 1, left 2
         41,  53,   9, 178, 241, 141,  26,   8, 107, // above 1, left 3
         74,  43,  26, 146,  73, 166,  49,  23, 157, // above 1, left 4
         65,  38, 105, 160,  51,  52,  31, 115, 128, // above 1, left 5
        104,  79,  12,  27, 217, 255,  87,  17,   7, // above 1, left 6
         87,  68,  71,  44, 114,  51,  15, 186,  23, // above 1, left 7
         47,  41,  14, 110, 182, 183,  21,  17, 194, // above 1, left 8
         66,  45,  25, 102, 197, 189,  23,  18,  22, // above 1, left 9
         88,  88, 147, 150,  42,  46,  45, 196, 205, // above 2, left 0
         43,  97, 183, 117,  85,  38,  35, 179,  61, // above 2, left 1
         39,  53, 200,  87,  26,  21,  43, 232, 171, // above 2, left 2
         56,  34,  51, 104, 114, 102,  29,  93,  77, // above 2, left 3
         39,  28,  85, 171,  58, 165,  90,  98,  64, // above 2, left 4
         34,  22, 116, 206,  23,  34,  43, 166,  73, // above 2, left 5
        107,  54,  32,  26,  51,   1,  81,  43,  31, // above 2, left 6
         68,  25, 106,  22,  64, 171,  36, 225, 114, // above 2, left 7
         34,  19,  21, 102, 132, 188,  16,  76, 124, // above 2, left 8
         62,  18,  78,  95,  85,  57,  50,  48,  51, // above 2, left 9
        193, 101,  35, 159, 215, 111,  89,  46, 111, // above 3, left 0
         60, 148,  31, 172, 219, 228,  21,  18, 111, // above 3, left 1
        112, 113,  77,  85, 179, 255,  38, 120, 114, // above 3, left 2
         40,  42,   1, 196, 245, 209,  10,  25, 109, // above 3, left 3
         88,  43,  29, 140, 166, 213,  37,  43, 154, // above 3, left 4
         61,  63,  30, 155,  67,  45,  68,   1, 209, // above 3, left 5
        100,  80,   8,  43, 154,   1,  51,  26,  71, // above 3, left 6
        142,  78,  78,  16, 255, 128,  34, 197, 171, // above 3, left 7
         41,  40,   5, 102, 211, 183,   4,   1, 221, // above 3, left 8
         51,  50,  17, 168, 209, 192,  23,  25,  82, // above 3, left 9
        138,  31,  36, 171,  27, 166,  38,  44, 229, // above 4, left 0
         67,  87,  58, 169,  82, 115,  26,  59, 179, // above 4, left 1
         63,  59,  90, 180,  59, 166,  93,  73, 154, // above 4, left 2
         40,  40,  21, 116, 143, 209,  34,  39, 175, // above 4, left 3
         47,  15,  16, 183,  34, 223,  49,  45, 183, // above 4, left 4
         46,  17,  33, 183,   6,  98,  15,  32, 183, // above 4, left 5
         57,  46,  22,  24, 128,   1,  54,  17,  37, // above 4, left 6
         65,  32,  73, 115,  28, 128,  23, 128, 205, // above 4, left 7
         40,   3,   9, 115,  51, 192,  18,   6, 223, // above 4, left 8
         87,  37,   9, 115,  59,  77,  64,  21,  47, // above 4, left 9
        104,  55,  44, 218,   9,  54,  53, 130, 226, // above 5, left 0
         64,  90,  70, 205,  40,  41,  23,  26,  57, // above 5, left 1
         54,  57, 112, 184,   5,  41,  38, 166, 213, // above 5, left 2
         30,  34,  26, 133, 152, 116,  10,  32, 134, // above 5, left 3
         39,  19,  53, 221,  26, 114,  32,  73, 255, // above 5, left 4
         31,   9,  65, 234,   2,  15,   1, 118,  73, // above 5, left 5
         75,  32,  12,  51, 192, 255, 160,  43,  51, // above 5, left 6
         88,  31,  35,  67, 102,  85,  55, 186,  85, // above 5, left 7
         56,  21,  23, 111,  59, 205,  45,  37, 192, // above 5, left 8
         55,  38,  70, 124,  73, 102,   1,  34,  98, // above 5, left 9
        125,  98,  42,  88, 104,  85, 117, 175,  82, // above 6, left 0
         95,  84,  53,  89, 128, 100, 113, 101,  45, // above 6, left 1
         75,  79, 123,  47,  51, 128,  81, 171,   1, // above 6, left 2
         57,  17,   5,  71, 102,  57,  53,  41,  49, // above 6, left 3
         38,  33,  13, 121,  57,  73,  26,   1,  85, // above 6, left 4
         41,  10,  67, 138,  77, 110,  90,  47, 114, // above 6, left 5
        115,  21,   2,  10, 102, 255, 166,  23,   6, // above 6, left 6
        101,  29,  16,  10,  85, 128, 101, 196,  26, // above 6, left 7
         57,  18,  10, 102, 102, 213,  34,  20,  43, // above 6, left 8
        117,  20,  15,  36, 163, 128,  68,   1,  26, // above 6, left 9
        102,  61,  71,  37,  34,  53,  31, 243, 192, // above 7, left 0
         69,  60,  71,  38,  73, 119,  28, 222,  37, // above 7, left 1
         68,  45, 128,  34,   1,  47,  11, 245, 171, // above 7, left 2
         62,  17,  19,  70, 146,  85,  55,  62,  70, // above 7, left 3
         37,  43,  37, 154, 100, 163,  85, 160,   1, // above 7, left 4
         63,   9,  92, 136,  28,  64,  32, 201,  85, // above 7, left 5
         75,  15,   9,   9,  64, 255, 184, 119,  16, // above 7, left 6
         86,   6,  28,   5,  64, 255,  25, 248,   1, // above 7, left 7
         56,   8,  17, 132, 137, 255,  55, 116, 128, // above 7, left 8
         58,  15,  20,  82, 135,  57,  26, 121,  40, // above 7, left 9
        164,  50,  31, 137, 154, 133,  25,  35, 218, // above 8, left 0
         51, 103,  44, 131, 131, 123,  31,   6, 158, // above 8, left 1
         86,  40,  64, 135, 148, 224,  45, 183, 128, // above 8, left 2
         22,  26,  17, 131, 240, 154,  14,   1, 209, // above 8, left 3
         45,  16,  21,  91,  64, 222,   7,   1, 197, // above 8, left 4
         56,  21,  39, 155,  60, 138,  23, 102, 213, // above 8, left 5
         83,  12,  13,  54, 192, 255,  68,  47,  28, // above 8, left 6
         85,  26,  85,  85, 128, 128,  32, 146, 171, // above 8, left 7
         18,  11,   7,  63, 144, 171,   4,   4, 246, // above 8, left 8
         35,  27,  10, 146, 174, 171,  12,  26, 128, // above 8, left 9
        190,  80,  35,  99, 180,  80, 126,  54,  45, // above 9, left 0
         85, 126,  47,  87, 176,  51,  41,  20,  32, // above 9, left 1
        101,  75, 128, 139, 118, 146, 116, 128,  85, // above 9, left 2
         56,  41,  15, 176, 236,  85,  37,   9,  62, // above 9, left 3
         71,  30,  17, 119, 118, 255,  17,  18, 138, // above 9, left 4
        101,  38,  60, 138,  55,  70,  43,  26, 142, // above 9, left 5
        146,  36,  19,  30, 171, 255,  97,  27,  20, // above 9, left 6
        138,  45,  61,  62, 219,   1,  81, 188,  64, // above 9, left 7
         32,  41,  20, 117, 151, 142,  20,  21, 163, // above 9, left 8
        112,  19,  12,  61, 195, 128,  48,   4,  24, // above 9, left 9
    ];
}
