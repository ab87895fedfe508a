namespace FastLaDeDa.Imaging.Formats.Png;

/// <summary>
/// The seven passes of Adam7 interlacing: each pass holds the pixels at
/// (<see cref="Pass.X"/> + i × <see cref="Pass.DX"/>, <see cref="Pass.Y"/> + j × <see cref="Pass.DY"/>),
/// stored as a small image of its own (own filter bytes, first row filtered against zeros).
/// A pass with no columns or no rows is absent from the data.
/// </summary>
internal static class PngAdam7
{
    /// <summary>One pass: its first pixel and its steps.</summary>
    public readonly record struct Pass(int X, int Y, int DX, int DY)
    {
        /// <summary>Columns of this pass in an image <paramref name="width"/> pixels wide.</summary>
        public int Columns(int width) => width > X ? (width - X + DX - 1) / DX : 0;

        /// <summary>Rows of this pass in an image <paramref name="height"/> pixels high.</summary>
        public int Rows(int height) => height > Y ? (height - Y + DY - 1) / DY : 0;
    }

    private static readonly Pass[] Interlaced =
        [new(0, 0, 8, 8), new(4, 0, 8, 8), new(0, 4, 4, 8), new(2, 0, 4, 4), new(0, 2, 2, 4), new(1, 0, 2, 2), new(0, 1, 1, 2)];

    private static readonly Pass[] Sequential = [new(0, 0, 1, 1)];

    /// <summary>The passes in file order: Adam7's seven, or the whole image as one.</summary>
    public static ReadOnlySpan<Pass> Passes(bool interlaced) => interlaced ? Interlaced : Sequential;
}
