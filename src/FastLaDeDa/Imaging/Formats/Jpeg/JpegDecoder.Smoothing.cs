namespace FastLaDeDa.Imaging.Formats.Jpeg;

internal sealed partial class JpegDecoder
{
    // Natural-order positions of the first nine AC coefficients in zigzag order (Q01, Q10, Q20, Q11, Q02, Q03, Q12, Q21, Q30).
    private static ReadOnlySpan<byte> SmoothedPositions => [1, 8, 16, 9, 2, 3, 10, 17, 24];

    private bool _smoothing;
    private int _lastGoodIMcuRow;
    private int[][] _bitsLatch = [], _previousBitsLatch = [];

    /// <summary>
    /// libjpeg's <c>smoothing_ok</c>, decided once all scans are in: block smoothing estimates the
    /// low AC coefficients of a progressive image from the DC values around each block, but only when
    /// some of them are still not known to full precision (a progression that stopped early or lost a
    /// scan), every DC is at least partly known and none of the ten quantizers involved is zero.
    /// </summary>
    private bool SmoothingApplies()
    {
        if (!_progressive) return false;
        bool useful = false;
        _bitsLatch = new int[_components.Length][];
        _previousBitsLatch = new int[_components.Length][];
        foreach (JpegComponent c in _components)
        {
            short[]? q = c.Quantization;
            if (q is null) return false;
            if (q[0] == 0) return false;
            foreach (byte position in SmoothedPositions)
                if (q[position] == 0) return false;
            if (c.CoefficientBits[0] < 0) return false;
            var latch = _bitsLatch[c.Index] = new int[10];
            var previous = _previousBitsLatch[c.Index] = new int[10];
            latch[0] = c.CoefficientBits[0];
            for (int k = 1; k < 10; k++)
            {
                previous[k] = _inputScanNumber > 1 ? c.PreviousCoefficientBits[k] : -1;
                latch[k] = c.CoefficientBits[k];
                if (latch[k] != 0) useful = true;
            }
        }
        return useful;
    }

    /// <summary>
    /// The blocks of one block row with libjpeg-turbo 2.1's smoothing (<c>decompress_smooth_data</c>):
    /// each still-zero, not fully known coefficient among the first nine gets an estimate from a
    /// 5×5 neighbourhood of DC values (and the DC itself is re-estimated when no AC data is known at
    /// all), then the block is inverse-transformed.
    /// </summary>
    private void SmoothAndTransformBlockRow(JpegComponent c, int iMcuRow, int blockRow, int blockRows, Span<byte> samples)
    {
        int lastIMcuRow = _totalIMcuRows - 1;
        int row = iMcuRow * c.V + blockRow;
        int previousRow = blockRow > 0 || iMcuRow > 0 ? row - 1 : row;
        int previousPreviousRow = blockRow > 1 || iMcuRow > 1 ? row - 2 : previousRow;
        int nextRow = blockRow < blockRows - 1 || iMcuRow < lastIMcuRow ? row + 1 : row;
        int nextNextRow = blockRow < blockRows - 2 || iMcuRow + 1 < lastIMcuRow ? row + 2 : nextRow;

        int[] bits = iMcuRow > _lastGoodIMcuRow ? _previousBitsLatch[c.Index] : _bitsLatch[c.Index];
        bool changeDc = true;
        for (int k = 1; k < 10; k++) changeDc &= bits[k] == -1;

        short[] q = c.Quantization!;
        long q00 = (ushort)q[0], q01 = (ushort)q[1], q10 = (ushort)q[8], q20 = (ushort)q[16], q11 = (ushort)q[9], q02 = (ushort)q[2];
        long q03 = changeDc ? (ushort)q[3] : 0, q12 = changeDc ? (ushort)q[10] : 0, q21 = changeDc ? (ushort)q[17] : 0, q30 = changeDc ? (ushort)q[24] : 0;

        short[] coefficients = c.Coefficients;
        int Dc(int blockRowIndex, int column) => coefficients[(blockRowIndex * c.BlocksPerRow + column) * 64];

        // A 5×5 window of DC values slides along the row (rows: prev-prev, prev, this, next, next-next).
        int dc01, dc02, dc03, dc04, dc05, dc06, dc07, dc08, dc09, dc10, dc11, dc12, dc13, dc14, dc15;
        int dc16, dc17, dc18, dc19, dc20, dc21, dc22, dc23, dc24, dc25;
        dc01 = dc02 = dc03 = dc04 = dc05 = Dc(previousPreviousRow, 0);
        dc06 = dc07 = dc08 = dc09 = dc10 = Dc(previousRow, 0);
        dc11 = dc12 = dc13 = dc14 = dc15 = Dc(row, 0);
        dc16 = dc17 = dc18 = dc19 = dc20 = Dc(nextRow, 0);
        dc21 = dc22 = dc23 = dc24 = dc25 = Dc(nextNextRow, 0);
        int lastColumn = c.WidthInBlocks - 1;
        Span<short> workspace = stackalloc short[64];
        for (int column = 0; column <= lastColumn; column++)
        {
            JpegTables.ZigzagToNatural(coefficients.AsSpan((row * c.BlocksPerRow + column) * 64, 64), workspace);
            if (column == 0 && column < lastColumn)
            {
                dc04 = Dc(previousPreviousRow, 1);
                dc09 = Dc(previousRow, 1);
                dc14 = Dc(row, 1);
                dc19 = Dc(nextRow, 1);
                dc24 = Dc(nextNextRow, 1);
            }
            if (column + 1 < lastColumn)
            {
                dc05 = Dc(previousPreviousRow, column + 2);
                dc10 = Dc(previousRow, column + 2);
                dc15 = Dc(row, column + 2);
                dc20 = Dc(nextRow, column + 2);
                dc25 = Dc(nextNextRow, column + 2);
            }

            Estimate(workspace, 1, bits[1], q00, q01, changeDc
                ? -dc01 - dc02 + dc04 + dc05 - 3 * dc06 + 13 * dc07 - 13 * dc09 + 3 * dc10 - 3 * dc11 + 38 * dc12 - 38 * dc14
                  + 3 * dc15 - 3 * dc16 + 13 * dc17 - 13 * dc19 + 3 * dc20 - dc21 - dc22 + dc24 + dc25
                : -7 * dc11 + 50 * dc12 - 50 * dc14 + 7 * dc15);
            Estimate(workspace, 8, bits[2], q00, q10, changeDc
                ? -dc01 - 3 * dc02 - 3 * dc03 - 3 * dc04 - dc05 - dc06 + 13 * dc07 + 38 * dc08 + 13 * dc09 - dc10 + dc16
                  - 13 * dc17 - 38 * dc18 - 13 * dc19 + dc20 + dc21 + 3 * dc22 + 3 * dc23 + 3 * dc24 + dc25
                : -7 * dc03 + 50 * dc08 - 50 * dc18 + 7 * dc23);
            Estimate(workspace, 16, bits[3], q00, q20, changeDc
                ? dc03 + 2 * dc07 + 7 * dc08 + 2 * dc09 - 5 * dc12 - 14 * dc13 - 5 * dc14 + 2 * dc17 + 7 * dc18 + 2 * dc19 + dc23
                : -dc03 + 13 * dc08 - 24 * dc13 + 13 * dc18 - dc23);
            Estimate(workspace, 9, bits[4], q00, q11, changeDc
                ? -dc01 + dc05 + 9 * dc07 - 9 * dc09 - 9 * dc17 + 9 * dc19 + dc21 - dc25
                : dc10 + dc16 - 10 * dc17 + 10 * dc19 - dc02 - dc20 + dc22 - dc24 + dc04 - dc06 + 10 * dc07 - 10 * dc09);
            Estimate(workspace, 2, bits[5], q00, q02, changeDc
                ? 2 * dc07 - 5 * dc08 + 2 * dc09 + dc11 + 7 * dc12 - 14 * dc13 + 7 * dc14 + dc15 + 2 * dc17 - 5 * dc18 + 2 * dc19
                : -dc11 + 13 * dc12 - 24 * dc13 + 13 * dc14 - dc15);
            if (changeDc)
            {
                Estimate(workspace, 3, bits[6], q00, q03, dc07 - dc09 + 2 * dc12 - 2 * dc14 + dc17 - dc19);
                Estimate(workspace, 10, bits[7], q00, q12, dc07 - 3 * dc08 + dc09 - dc17 + 3 * dc18 - dc19);
                Estimate(workspace, 17, bits[8], q00, q21, dc07 - dc09 - 3 * dc12 + 3 * dc14 + dc17 - dc19);
                Estimate(workspace, 24, bits[9], q00, q30, dc07 + 2 * dc08 + dc09 - dc17 - 2 * dc18 - dc19);
                long num = q00 * (-2 * dc01 - 6 * dc02 - 8 * dc03 - 6 * dc04 - 2 * dc05 - 6 * dc06 + 6 * dc07 + 42 * dc08 + 6 * dc09
                    - 6 * dc10 - 8 * dc11 + 42 * dc12 + 152 * dc13 + 42 * dc14 - 8 * dc15 - 6 * dc16 + 6 * dc17 + 42 * dc18
                    + 6 * dc19 - 6 * dc20 - 2 * dc21 - 6 * dc22 - 8 * dc23 - 6 * dc24 - 2 * dc25);
                int dc = num >= 0 ? (int)(((q00 << 7) + num) / (q00 << 8)) : -(int)(((q00 << 7) - num) / (q00 << 8));
                workspace[0] = (short)dc;
            }

            TransformNatural(c, workspace, samples[(column * c.ScaledSize)..]);

            dc01 = dc02; dc02 = dc03; dc03 = dc04; dc04 = dc05;
            dc06 = dc07; dc07 = dc08; dc08 = dc09; dc09 = dc10;
            dc11 = dc12; dc12 = dc13; dc13 = dc14; dc14 = dc15;
            dc16 = dc17; dc17 = dc18; dc18 = dc19; dc19 = dc20;
            dc21 = dc22; dc22 = dc23; dc23 = dc24; dc24 = dc25;
        }
    }

    /// <summary>Sets coefficient <paramref name="position"/> to its estimate when it is zero and not known exactly (<paramref name="al"/> ≠ 0).</summary>
    private static void Estimate(Span<short> block, int position, int al, long q00, long qac, int dcSum)
    {
        if (al == 0 || block[position] != 0) return;
        long num = q00 * dcSum;
        int prediction;
        if (num >= 0)
        {
            prediction = (int)(((qac << 7) + num) / (qac << 8));
            if (al > 0 && prediction >= 1 << al) prediction = (1 << al) - 1;
        }
        else
        {
            prediction = (int)(((qac << 7) - num) / (qac << 8));
            if (al > 0 && prediction >= 1 << al) prediction = (1 << al) - 1;
            prediction = -prediction;
        }
        block[position] = (short)prediction;
    }
}
