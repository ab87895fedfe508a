using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace FastLaDeDa.Imaging.Formats.Jpeg;

internal sealed partial class JpegDecoder
{
    /// <summary>
    /// <see cref="DecodeSequentialMcu"/> on a <see cref="JpegFastBits"/> copy of the reader, for
    /// segments that end at a marker: most AC coefficients come out of one
    /// <see cref="JpegHuffmanTable.FastAc"/> lookup. Same symbols, same values, same bits consumed.
    /// </summary>
    private void DecodeSequentialMcuFast()
    {
        var bits = new JpegFastBits(_reader);
        ref byte natural = ref MemoryMarshal.GetReference(JpegTables.NaturalOrder);
        for (int b = 0; b < _blocksInMcu; b++)
        {
            int ci = _mcuComponent[b];
            JpegComponent c = _scanComponents[ci];
            ref short block = ref c.Coefficients[_mcuBlockOffset[b]];

            bits.Ensure32();
            int s = bits.Symbol(_dcTables[c.DcTable]!);
            if (s != 0) s = JpegBitReader.Extend(bits.Take(s), s);
            _lastDc[ci] += s;
            block = (short)_lastDc[ci];

            JpegHuffmanTable ac = _acTables[c.AcTable]!;
            int[] fast = ac.FastAc;
            for (int k = 1; k < 64;)
            {
                bits.Ensure32();
                int entry = fast[bits.Peek(JpegHuffmanTable.FastBits)];
                if (entry != 0)
                {
                    bits.Drop(entry & 31);
                    int run = (entry >> 8) & 15;
                    if ((entry & JpegHuffmanTable.FastZeroSize) != 0)
                    {
                        if (run != 15) break; // end of block
                        k += 16;
                        continue;
                    }
                    k += run;
                    Unsafe.Add(ref block, Unsafe.Add(ref natural, k)) = (short)(entry >> 16);
                    k++;
                    continue;
                }
                int symbol = bits.Symbol(ac);
                int zeros = symbol >> 4, size = symbol & 15;
                if (size != 0)
                {
                    k += zeros;
                    Unsafe.Add(ref block, Unsafe.Add(ref natural, k)) = (short)JpegBitReader.Extend(bits.Take(size), size);
                    k++;
                }
                else
                {
                    if (zeros != 15) break;
                    k += 16;
                }
            }
        }
        bits.SaveTo(ref _reader);
    }
}
