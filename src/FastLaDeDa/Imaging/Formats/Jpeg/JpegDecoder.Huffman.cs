using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace FastLaDeDa.Imaging.Formats.Jpeg;

internal sealed partial class JpegDecoder
{
    private enum ProgressivePass { DcFirst, DcRefine, AcFirst, AcRefine }

    private ProgressivePass _progressivePass;

    private void StartSequentialScan()
    {
        // Ss/Se/Ah/Al other than 0/63/0/0 only earn a warning from libjpeg.
        for (int i = 0; i < _componentsInScan; i++)
        {
            JpegComponent c = _scanComponents[i];
            _dcTables[c.DcTable] = BuildTable(isDc: true, c.DcTable);
            _acTables[c.AcTable] = BuildTable(isDc: false, c.AcTable);
        }
    }

    private JpegHuffmanTable BuildTable(bool isDc, int slot)
    {
        byte[]? counts = slot < 4 ? (isDc ? _dcCounts : _acCounts)[slot] : null;
        byte[]? symbols = slot < 4 ? (isDc ? _dcSymbols : _acSymbols)[slot] : null;
        if (counts is null || symbols is null) throw Corrupt($"Huffman table {slot} is not defined");
        return JpegHuffmanTable.Build(counts, symbols, isDc, _source);
    }

    /// <summary>libjpeg's <c>start_pass_phuff_decoder</c>: the progression checks, then the tables the scan needs.</summary>
    private void StartProgressiveScan()
    {
        StartProgression();
        for (int i = 0; i < _componentsInScan; i++)
        {
            JpegComponent c = _scanComponents[i];
            if (_spectralStart == 0)
            {
                if (_approximationHigh == 0) _dcTables[c.DcTable] = BuildTable(isDc: true, c.DcTable);
            }
            else
            {
                _acTables[c.AcTable] = BuildTable(isDc: false, c.AcTable);
            }
        }
    }

    /// <summary>
    /// Validates a progressive scan's parameters and records which bits of which coefficients are
    /// known (libjpeg's <c>coef_bits</c>, shared by the Huffman and arithmetic decoders).
    /// </summary>
    private void StartProgression()
    {
        bool dcBand = _spectralStart == 0;
        bool bad = dcBand
            ? _spectralEnd != 0
            : _spectralStart > _spectralEnd || _spectralEnd >= 64 || _componentsInScan != 1;
        if (_approximationHigh != 0 && _approximationLow != _approximationHigh - 1) bad = true;
        if (_approximationLow > 13) bad = true;
        if (bad)
            throw Corrupt($"invalid progressive parameters Ss={_spectralStart} Se={_spectralEnd} Ah={_approximationHigh} Al={_approximationLow}");

        for (int i = 0; i < _componentsInScan; i++)
        {
            JpegComponent c = _scanComponents[i];
            int[] bits = c.CoefficientBits, previous = c.PreviousCoefficientBits;
            for (int k = Math.Min(_spectralStart, 1); k <= Math.Max(_spectralEnd, 9); k++)
                previous[k] = _inputScanNumber > 1 ? bits[k] : 0;
            // An out-of-order progression only earns a warning; the bits known are overwritten regardless.
            for (int k = _spectralStart; k <= _spectralEnd; k++) bits[k] = _approximationLow;
        }

        _progressivePass = (dcBand, _approximationHigh == 0) switch
        {
            (true, true) => ProgressivePass.DcFirst,
            (true, false) => ProgressivePass.DcRefine,
            (false, true) => ProgressivePass.AcFirst,
            _ => ProgressivePass.AcRefine,
        };
    }

    /// <summary>
    /// Decodes the MCUs of iMCU row <paramref name="iMcuRow"/> of the current scan into the
    /// coefficient buffers: the whole-image buffers (multi-scan) or the one-iMCU-row buffers
    /// (single scan, which are cleared first as libjpeg clears each MCU).
    /// </summary>
    private void DecodeIMcuRow(ReadOnlySpan<byte> data, int iMcuRow, bool wholeImage)
    {
        int mcuRows;
        if (_componentsInScan > 1) mcuRows = 1;
        else mcuRows = iMcuRow < _totalIMcuRows - 1 ? _scanComponents[0].V : _scanComponents[0].LastRowHeight;

        if (!wholeImage)
            foreach (JpegComponent c in _components)
                c.Coefficients.AsSpan(0, c.BlocksPerRow * c.V * 64).Clear();

        for (int mcuRow = 0; mcuRow < mcuRows; mcuRow++)
        {
            for (int mcu = 0; mcu < _mcusPerRow; mcu++)
            {
                for (int b = 0; b < _blocksInMcu; b++)
                {
                    JpegComponent c = _scanComponents[_mcuComponent[b]];
                    int blockRow = mcuRow + _mcuBlockRow[b] + (wholeImage ? iMcuRow * c.V : 0);
                    int blockColumn = mcu * c.McuWidth + _mcuBlockColumn[b];
                    _mcuBlockOffset[b] = (blockRow * c.BlocksPerRow + blockColumn) * 64;
                }
                // Block smoothing trusts the last scan only up to the last iMCU row it had data for.
                if (!_insufficientData) _lastGoodIMcuRow = iMcuRow;
                DecodeMcu(data);
            }
        }
    }

    private void DecodeMcu(ReadOnlySpan<byte> data)
    {
        if (_arithmetic)
        {
            DecodeArithmeticMcu(data);
            return;
        }
        if (_restartInterval != 0 && _restartsToGo == 0) ProcessRestart(data);

        if (!_progressive)
        {
            if (_insufficientData) { }
            else if (_reader.EndsAtEndOfFile) DecodeSequentialMcu();
            else DecodeSequentialMcuFast();
        }
        else
        {
            switch (_progressivePass)
            {
                case ProgressivePass.DcFirst:
                    if (!_insufficientData) DecodeDcFirst();
                    break;
                case ProgressivePass.DcRefine:
                    DecodeDcRefine(); // zero bits change nothing, so libjpeg does not check
                    break;
                case ProgressivePass.AcFirst:
                    if (!_insufficientData) DecodeAcFirst();
                    break;
                default:
                    if (!_insufficientData) DecodeAcRefine();
                    break;
            }
        }
        if (_reader.PastEnd) _insufficientData = true;
        if (_restartInterval != 0) _restartsToGo--;
    }

    private void DecodeSequentialMcu()
    {
        ReadOnlySpan<byte> natural = JpegTables.NaturalOrder;
        for (int b = 0; b < _blocksInMcu; b++)
        {
            int ci = _mcuComponent[b];
            JpegComponent c = _scanComponents[ci];
            Span<short> block = c.Coefficients.AsSpan(_mcuBlockOffset[b], 64);
            int s = _reader.DecodeHuffman(_dcTables[c.DcTable]!);
            if (s != 0) s = _reader.ReceiveExtend(s);
            _lastDc[ci] += s;
            block[0] = (short)_lastDc[ci];

            JpegHuffmanTable ac = _acTables[c.AcTable]!;
            for (int k = 1; k < 64; k++)
            {
                int symbol = _reader.DecodeHuffman(ac);
                int run = symbol >> 4, size = symbol & 15;
                if (size != 0)
                {
                    k += run;
                    block[natural[k]] = (short)_reader.ReceiveExtend(size);
                }
                else
                {
                    if (run != 15) break;
                    k += 15;
                }
            }
        }
    }

    // Progressive scans: a multi-scan image needs its end-of-image marker, so a segment cut by the
    // end of the file fails the image whatever is read from it; these all use the fast bits.

    private void DecodeDcFirst()
    {
        var bits = new JpegFastBits(_reader);
        for (int b = 0; b < _blocksInMcu; b++)
        {
            int ci = _mcuComponent[b];
            JpegComponent c = _scanComponents[ci];
            bits.Ensure32();
            int s = bits.Symbol(_dcTables[c.DcTable]!);
            if (s != 0) s = JpegBitReader.Extend(bits.Take(s), s);
            long sum = (long)_lastDc[ci] + s;
            if (sum is > int.MaxValue or < int.MinValue) throw Corrupt("a DC coefficient out of range");
            _lastDc[ci] = (int)sum;
            c.Coefficients[_mcuBlockOffset[b]] = (short)(_lastDc[ci] << _approximationLow);
        }
        bits.SaveTo(ref _reader);
    }

    private void DecodeDcRefine()
    {
        var bits = new JpegFastBits(_reader);
        int bit = 1 << _approximationLow;
        for (int b = 0; b < _blocksInMcu; b++)
        {
            JpegComponent c = _scanComponents[_mcuComponent[b]];
            if (bits.Bit() != 0) c.Coefficients[_mcuBlockOffset[b]] |= (short)bit;
        }
        bits.SaveTo(ref _reader);
    }

    private void DecodeAcFirst()
    {
        if (_endOfBandRun > 0)
        {
            _endOfBandRun--;
            return;
        }
        var bits = new JpegFastBits(_reader);
        JpegComponent c = _scanComponents[0];
        Span<short> block = c.Coefficients.AsSpan(_mcuBlockOffset[0], 64); // zigzag order (progressive)
        JpegHuffmanTable table = _acTables[c.AcTable]!;
        for (int k = _spectralStart; k <= _spectralEnd; k++)
        {
            bits.Ensure32();
            int symbol = bits.Symbol(table);
            int run = symbol >> 4, size = symbol & 15;
            if (size != 0)
            {
                k += run;
                // A corrupt run can pass index 63; libjpeg's extended zigzag table maps that to the last coefficient.
                block[Math.Min(k, 63)] = (short)(JpegBitReader.Extend(bits.Take(size), size) << _approximationLow);
            }
            else if (run == 15)
            {
                k += 15;
            }
            else
            {
                // End of band: this block and the next 2^run + extra bits − 1 blocks are done.
                int count = 1 << run;
                if (run != 0) count += bits.Take(run);
                _endOfBandRun = count - 1;
                break;
            }
        }
        bits.SaveTo(ref _reader);
    }

    private void DecodeAcRefine()
    {
        var bits = new JpegFastBits(_reader);
        JpegComponent c = _scanComponents[0];
        Span<short> block = c.Coefficients.AsSpan(_mcuBlockOffset[0], 64); // zigzag order (progressive)
        JpegHuffmanTable table = _acTables[c.AcTable]!;
        int plusOne = 1 << _approximationLow, minusOne = -1 << _approximationLow;
        // libjpeg walks the band one coefficient at a time; bit masks of the non-zero coefficients
        // reach the same positions and read the same correction bits in the same order, in bulk.
        ulong band = ulong.MaxValue >> (63 - _spectralEnd);
        ulong nonZero = NonZeroMask(block);
        int k = _spectralStart;
        if (_endOfBandRun == 0)
        {
            for (; k <= _spectralEnd; k++)
            {
                bits.Ensure32();
                int symbol = bits.Symbol(table);
                int run = symbol >> 4, size = symbol & 15;
                int value = 0;
                if (size != 0)
                {
                    // A new coefficient is always ±1 at this bit (a larger size only earns a warning).
                    value = bits.Take(1) != 0 ? plusOne : minusOne;
                }
                else if (run != 15)
                {
                    _endOfBandRun = 1 << run;
                    if (run != 0) _endOfBandRun += bits.Take(run);
                    break;
                }
                // Skip `run` zero coefficients (ZRL: 16), refining the non-zero ones passed on the way;
                // the new coefficient goes to the next zero, or past the band when there is none.
                ulong ahead = band & (ulong.MaxValue << k);
                ulong zeros = ~nonZero & ahead;
                int target = BitOperations.PopCount(zeros) > run ? NthSetBit(zeros, run) : _spectralEnd + 1;
                ulong before = target >= 64 ? ulong.MaxValue : (1UL << target) - 1;
                RefineAll(block, nonZero & ahead & before, ref bits, plusOne, minusOne);
                k = target;
                if (value != 0)
                {
                    int slot = Math.Min(k, 63); // libjpeg's extended zigzag table maps index 64 to 63
                    block[slot] = (short)value;
                    nonZero |= 1UL << slot;
                }
            }
        }
        if (_endOfBandRun > 0)
        {
            // In an end-of-band run every non-zero coefficient left in the band gets a correction bit.
            if (k <= _spectralEnd) RefineAll(block, nonZero & band & (ulong.MaxValue << k), ref bits, plusOne, minusOne);
            _endOfBandRun--;
        }
        bits.SaveTo(ref _reader);
    }

    /// <summary>
    /// Reads one correction bit for each coefficient in <paramref name="positions"/>, lowest first;
    /// a 1 moves the coefficient one step away from zero unless this bit was already added.
    /// </summary>
    private static void RefineAll(Span<short> block, ulong positions, ref JpegFastBits bits, int plusOne, int minusOne)
    {
        int remaining = BitOperations.PopCount(positions);
        while (remaining > 0)
        {
            int count = Math.Min(remaining, 24);
            bits.Ensure32();
            int word = bits.Take(count);
            for (int i = count - 1; i >= 0; i--)
            {
                int index = BitOperations.TrailingZeroCount(positions);
                positions &= positions - 1;
                ref short coefficient = ref block[index];
                if (((word >> i) & 1) != 0 && (coefficient & plusOne) == 0)
                    coefficient += (short)(coefficient >= 0 ? plusOne : minusOne);
            }
            remaining -= count;
        }
    }

    /// <summary>The index of the <paramref name="n"/>-th (from 0) set bit of <paramref name="mask"/>, which has more than n.</summary>
    private static int NthSetBit(ulong mask, int n)
    {
        if (Bmi2.X64.IsSupported) return BitOperations.TrailingZeroCount(Bmi2.X64.ParallelBitDeposit(1UL << n, mask));
        for (int i = 0; i < n; i++) mask &= mask - 1;
        return BitOperations.TrailingZeroCount(mask);
    }

    /// <summary>Bit i set where coefficient i of the block is non-zero.</summary>
    private static ulong NonZeroMask(ReadOnlySpan<short> block)
    {
        ref short start = ref MemoryMarshal.GetReference(block[..64]);
        ulong mask = 0;
        for (int i = 0; i < 64; i += Vector256<short>.Count)
        {
            Vector256<short> v = Vector256.LoadUnsafe(ref start, (nuint)i);
            mask |= (ulong)Vector256.ExtractMostSignificantBits(~Vector256.Equals(v, Vector256<short>.Zero)) << i;
        }
        return mask;
    }

    /// <summary>At the end of a restart interval of a Huffman scan (libjpeg's <c>process_restart</c>).</summary>
    private void ProcessRestart(ReadOnlySpan<byte> data)
    {
        _reader.DiscardBuffered();
        bool parked = AdvanceToRestartSegment(data);
        _reader.Reset(_segment, _source);
        Array.Clear(_lastDc);
        _endOfBandRun = 0;
        _restartsToGo = _restartInterval;
        // In front of a marker the next interval has no data: libjpeg leaves the flag set.
        if (!parked) _insufficientData = false;
    }
}
