namespace FastLaDeDa.Imaging.Formats.Jpeg;

internal sealed partial class JpegDecoder
{
    private const int DcStatBins = 64, AcStatBins = 256, FixedBin = 113;

    // Statistics bins per table slot: the MPS in bit 7, the state of Table D.2 in bits 0–6.
    private readonly byte[][] _dcStats = [.. Enumerable.Range(0, 16).Select(_ => new byte[DcStatBins])];
    private readonly byte[][] _acStats = [.. Enumerable.Range(0, 16).Select(_ => new byte[AcStatBins])];
    private readonly byte[] _fixedBin = [FixedBin];
    private readonly int[] _dcContext = new int[4];
    private long _c, _a;
    private int _ct, _arithmeticPosition;

    /// <summary>libjpeg's arithmetic <c>start_pass</c>: the progression checks, then fresh statistics and coder state.</summary>
    private void StartArithmeticScan()
    {
        if (_progressive) StartProgression();
        ResetArithmeticCoder();
    }

    /// <summary>
    /// At a scan's start and at each restart: the statistics bins the scan uses, its DC predictions
    /// and contexts, and the coder registers start afresh.
    /// </summary>
    private void ResetArithmeticCoder()
    {
        for (int i = 0; i < _componentsInScan; i++)
        {
            JpegComponent c = _scanComponents[i];
            if (!_progressive || (_spectralStart == 0 && _approximationHigh == 0))
            {
                Array.Clear(_dcStats[c.DcTable]);
                _lastDc[i] = 0;
                _dcContext[i] = 0;
            }
            if (!_progressive || _spectralStart != 0) Array.Clear(_acStats[c.AcTable]);
        }
        _c = 0;
        _a = 0;
        _ct = -16; // forces two bytes into C first
        _arithmeticPosition = 0;
    }

    private void DecodeArithmeticMcu(ReadOnlySpan<byte> data)
    {
        if (_restartInterval != 0)
        {
            if (_restartsToGo == 0) ProcessArithmeticRestart(data);
            _restartsToGo--;
        }
        if (!_progressive)
        {
            if (_ct != -1) DecodeArithmeticSequential();
            return;
        }
        switch (_progressivePass)
        {
            case ProgressivePass.DcFirst:
                if (_ct != -1) DecodeArithmeticDcFirst();
                break;
            case ProgressivePass.DcRefine:
                for (int b = 0; b < _blocksInMcu; b++)
                {
                    JpegComponent c = _scanComponents[_mcuComponent[b]];
                    if (Decide(_fixedBin, 0) != 0) c.Coefficients[_mcuBlockOffset[b]] |= (short)(1 << _approximationLow);
                }
                break;
            case ProgressivePass.AcFirst:
                if (_ct != -1) DecodeArithmeticAcFirst();
                break;
            default:
                if (_ct != -1) DecodeArithmeticAcRefine();
                break;
        }
    }

    private void ProcessArithmeticRestart(ReadOnlySpan<byte> data)
    {
        AdvanceToRestartSegment(data);
        ResetArithmeticCoder();
        _restartsToGo = _restartInterval;
    }

    /// <summary>The next byte of the segment; zero once a marker ends it (legal in arithmetic coding), an error at the end of the file.</summary>
    private int NextArithmeticByte()
    {
        if (_arithmeticPosition < _segment.Length) return _segment.Buffer[_arithmeticPosition++];
        if (_segment.Marker == JpegEntropySegment.EndOfFile) throw Truncated();
        return 0;
    }

    /// <summary>Decodes one binary decision with the statistics bin <paramref name="bins"/>[<paramref name="index"/>] (T.81 D.2, libjpeg's <c>arith_decode</c>).</summary>
    private int Decide(byte[] bins, int index)
    {
        while (_a < 0x8000)
        {
            if (--_ct < 0)
            {
                _c = (_c << 8) | (long)NextArithmeticByte();
                if ((_ct += 8) < 0 && ++_ct == 0)
                    _a = 0x8000; // the two initial bytes are in: becomes 0x10000 below
            }
            _a <<= 1;
        }

        int sv = bins[index];
        int state = sv & 0x7F;
        int qe = JpegArithmeticTable.Qe[state];
        int afterLps = JpegArithmeticTable.NextAfterLps[state] | (JpegArithmeticTable.SwitchesMps(state) ? 0x80 : 0);
        int afterMps = JpegArithmeticTable.NextAfterMps[state];

        long temp = _a - qe;
        _a = temp;
        temp <<= _ct;
        if (_c >= temp)
        {
            _c -= temp;
            if (_a < qe)
            {
                _a = qe;
                bins[index] = (byte)((sv & 0x80) ^ afterMps);
            }
            else
            {
                _a = qe;
                bins[index] = (byte)((sv & 0x80) ^ afterLps);
                sv ^= 0x80;
            }
        }
        else if (_a < 0x8000)
        {
            if (_a < qe)
            {
                bins[index] = (byte)((sv & 0x80) ^ afterLps);
                sv ^= 0x80;
            }
            else
            {
                bins[index] = (byte)((sv & 0x80) ^ afterMps);
            }
        }
        return sv >> 7;
    }

    /// <summary>
    /// A DC difference (T.81 F.1.4.4.1, Figures F.19–F.24), updating the component's conditioning
    /// context; false when the magnitude overflows (libjpeg then stops decoding the segment).
    /// </summary>
    private bool DecodeDcDifference(int scanIndex, int table, out int difference)
    {
        byte[] stats = _dcStats[table];
        int st = _dcContext[scanIndex];
        difference = 0;
        if (Decide(stats, st) == 0)
        {
            _dcContext[scanIndex] = 0;
            return true;
        }
        int sign = Decide(stats, st + 1);
        st += 2 + sign;
        int m = Decide(stats, st);
        if (m != 0)
        {
            st = 20;
            while (Decide(stats, st) != 0)
            {
                if ((m <<= 1) == 0x8000) return false;
                st++;
            }
        }
        if (m < (1 << _arithmeticDcLower[table]) >> 1) _dcContext[scanIndex] = 0;
        else if (m > (1 << _arithmeticDcUpper[table]) >> 1) _dcContext[scanIndex] = 12 + sign * 4;
        else _dcContext[scanIndex] = 4 + sign * 4;
        int v = m;
        st += 14;
        while ((m >>= 1) != 0)
            if (Decide(stats, st) != 0) v |= m;
        v += 1;
        difference = sign != 0 ? -v : v;
        return true;
    }

    /// <summary>An AC value's sign and magnitude after its "non-zero" decision (T.81 F.1.4.4.2); false on magnitude overflow.</summary>
    private bool DecodeAcValue(byte[] stats, int st, int k, int table, out int value)
    {
        value = 0;
        int sign = Decide(_fixedBin, 0);
        st += 2;
        int m = Decide(stats, st);
        if (m != 0 && Decide(stats, st) != 0)
        {
            m <<= 1;
            st = k <= _arithmeticAcK[table] ? 189 : 217;
            while (Decide(stats, st) != 0)
            {
                if ((m <<= 1) == 0x8000) return false;
                st++;
            }
        }
        int v = m;
        st += 14;
        while ((m >>= 1) != 0)
            if (Decide(stats, st) != 0) v |= m;
        v += 1;
        value = sign != 0 ? -v : v;
        return true;
    }

    private void DecodeArithmeticSequential()
    {
        ReadOnlySpan<byte> natural = JpegTables.NaturalOrder;
        for (int b = 0; b < _blocksInMcu; b++)
        {
            int ci = _mcuComponent[b];
            JpegComponent c = _scanComponents[ci];
            Span<short> block = c.Coefficients.AsSpan(_mcuBlockOffset[b], 64);
            if (!DecodeDcDifference(ci, c.DcTable, out int difference))
            {
                _ct = -1;
                return;
            }
            _lastDc[ci] = (_lastDc[ci] + difference) & 0xFFFF;
            block[0] = (short)_lastDc[ci];

            byte[] stats = _acStats[c.AcTable];
            for (int k = 1; k <= 63; k++)
            {
                int st = 3 * (k - 1);
                if (Decide(stats, st) != 0) break; // end of block
                while (Decide(stats, st + 1) == 0)
                {
                    st += 3;
                    if (++k > 63)
                    {
                        _ct = -1; // spectral overflow
                        return;
                    }
                }
                if (!DecodeAcValue(stats, st, k, c.AcTable, out int value))
                {
                    _ct = -1;
                    return;
                }
                block[natural[k]] = (short)value;
            }
        }
    }

    private void DecodeArithmeticDcFirst()
    {
        for (int b = 0; b < _blocksInMcu; b++)
        {
            int ci = _mcuComponent[b];
            JpegComponent c = _scanComponents[ci];
            if (!DecodeDcDifference(ci, c.DcTable, out int difference))
            {
                _ct = -1;
                return;
            }
            _lastDc[ci] = (_lastDc[ci] + difference) & 0xFFFF;
            c.Coefficients[_mcuBlockOffset[b]] = (short)(_lastDc[ci] << _approximationLow);
        }
    }

    private void DecodeArithmeticAcFirst()
    {
        JpegComponent c = _scanComponents[0];
        Span<short> block = c.Coefficients.AsSpan(_mcuBlockOffset[0], 64); // zigzag order (progressive)
        byte[] stats = _acStats[c.AcTable];
        for (int k = _spectralStart; k <= _spectralEnd; k++)
        {
            int st = 3 * (k - 1);
            if (Decide(stats, st) != 0) break; // end of band
            while (Decide(stats, st + 1) == 0)
            {
                st += 3;
                if (++k > _spectralEnd)
                {
                    _ct = -1;
                    return;
                }
            }
            if (!DecodeAcValue(stats, st, k, c.AcTable, out int value))
            {
                _ct = -1;
                return;
            }
            block[k] = (short)(value << _approximationLow);
        }
    }

    private void DecodeArithmeticAcRefine()
    {
        JpegComponent c = _scanComponents[0];
        Span<short> block = c.Coefficients.AsSpan(_mcuBlockOffset[0], 64); // zigzag order (progressive)
        byte[] stats = _acStats[c.AcTable];
        int plusOne = 1 << _approximationLow, minusOne = -1 << _approximationLow;
        int lastNonZero = _spectralEnd;
        while (lastNonZero > 0 && block[lastNonZero] == 0) lastNonZero--;
        for (int k = _spectralStart; k <= _spectralEnd; k++)
        {
            int st = 3 * (k - 1);
            if (k > lastNonZero && Decide(stats, st) != 0) break; // end of band
            while (true)
            {
                ref short coefficient = ref block[k];
                if (coefficient != 0)
                {
                    if (Decide(stats, st + 2) != 0)
                        coefficient += (short)(coefficient < 0 ? minusOne : plusOne);
                    break;
                }
                if (Decide(stats, st + 1) != 0)
                {
                    coefficient = (short)(Decide(_fixedBin, 0) != 0 ? minusOne : plusOne);
                    break;
                }
                st += 3;
                if (++k > _spectralEnd)
                {
                    _ct = -1;
                    return;
                }
            }
        }
    }
}
