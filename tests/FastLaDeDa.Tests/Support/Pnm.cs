using System.Text;

namespace FastLaDeDa.Tests.Support;

/// <summary>Binary PNM (P5 grey, P6 RGB, 8-bit) as written and read by the reference tools.</summary>
internal static class Pnm
{
    /// <summary>Parses P5/P6 bytes into width, height and RGB (grey replicated, as Pillow's L → RGB).</summary>
    public static (int Width, int Height, byte[] Rgb) Read(byte[] pnm)
    {
        int pos = 0;
        string Token()
        {
            while (pos < pnm.Length && (char.IsWhiteSpace((char)pnm[pos]) || pnm[pos] == '#'))
            {
                if (pnm[pos] == '#') while (pos < pnm.Length && pnm[pos] != '\n') pos++;
                else pos++;
            }
            int start = pos;
            while (pos < pnm.Length && !char.IsWhiteSpace((char)pnm[pos])) pos++;
            return Encoding.ASCII.GetString(pnm, start, pos - start);
        }
        string magic = Token();
        int width = int.Parse(Token()), height = int.Parse(Token());
        Assert.Equal("255", Token());
        pos++; // the single whitespace byte before the samples
        int channels = magic == "P6" ? 3 : magic == "P5" ? 1 : throw new InvalidDataException($"unexpected PNM type {magic}");
        ReadOnlySpan<byte> samples = pnm.AsSpan(pos, width * height * channels);
        byte[] rgb = channels == 3 ? samples.ToArray() : [.. samples.ToArray().SelectMany(v => new[] { v, v, v })];
        return (width, height, rgb);
    }

    /// <summary>Writes RGB (<paramref name="grey"/>: one channel) as P6/P5.</summary>
    public static byte[] Write(int width, int height, byte[] samples, bool grey = false) =>
        [.. Encoding.ASCII.GetBytes($"{(grey ? "P5" : "P6")}\n{width} {height}\n255\n"), .. samples];
}
