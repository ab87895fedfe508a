namespace FastLaDeDa.Tests.Support;

/// <summary>
/// Packs LZW codes into GIF bit order (least significant bit first). Widths are given
/// explicitly, or follow the usual GIF rule (<see cref="PackGrowing"/>), so a test states the
/// exact bits a decoder sees.
/// </summary>
internal static class LzwCodes
{
    /// <summary>Packs (code, width) pairs.</summary>
    public static byte[] Pack(params (int Code, int Width)[] codes)
    {
        var bytes = new List<byte>();
        long buffer = 0;
        int count = 0;
        foreach (var (code, width) in codes)
        {
            buffer |= (long)code << count;
            count += width;
            while (count >= 8)
            {
                bytes.Add((byte)buffer);
                buffer >>= 8;
                count -= 8;
            }
        }
        if (count > 0) bytes.Add((byte)buffer);
        return [.. bytes];
    }

    /// <summary>
    /// Packs codes with the widths of a GIF decoder for minimum code sizes 2 to 8: the minimum
    /// plus one, growing by one once the next free code reaches the next power of two (up to 12
    /// bits), reset by a clear code.
    /// </summary>
    public static byte[] PackGrowing(int minimumCodeSize, params int[] codes)
    {
        int clear = 1 << minimumCodeSize, end = clear + 1;
        int width = minimumCodeSize + 1, next = clear + 2;
        bool first = true;
        var sized = new List<(int, int)>();
        foreach (int code in codes)
        {
            sized.Add((code, width));
            if (code == clear)
            {
                (width, next, first) = (minimumCodeSize + 1, clear + 2, true);
                continue;
            }
            if (code == end) continue;
            if (first)
            {
                first = false;
                continue;
            }
            if (next < 4096)
            {
                if (next == (1 << width) - 1 && width < 12) width++;
                next++;
            }
        }
        return Pack([.. sized]);
    }
}
