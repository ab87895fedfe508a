using System.Globalization;
using FastLaDeDa.Imaging;
using FastLaDeDa.Models;
using ScottPlot;

namespace FastLaDeDa.Cli.Rendering;

/// <summary>
/// The patch-logit figure (the paper's Fig. 7a): the map upsampled to the scored image
/// (<see cref="PatchMapUpsampler"/>) and blended over it in the diverging <see cref="LogitColormap"/>,
/// with a colour bar in logits, axes in the scored image's pixels and a title.
/// </summary>
internal static class HeatmapRenderer
{
    /// <summary>Images with a longer side are shown (and the map upsampled) at this size; the axes keep the image's own pixels.</summary>
    public const int MaxDisplaySide = 1024;

    /// <summary>Opacity of the colour layer where the logit is 0 and where |logit| reaches the limit.</summary>
    public const double MinOpacity = 0.3, MaxOpacity = 0.8;

    // Room around the image for the title, the tick labels and the colour bar; narrow images are
    // centred on a figure wide enough for the title.
    private const int PadLeft = 64, PadRight = 118, PadTop = 44, PadBottom = 52, MinFigureWidth = 600;

    /// <summary>
    /// Renders the figure for the image <paramref name="scored"/> (the pixels the model saw: 256×256
    /// when resized) and its patch map, as PNG bytes, with colour limits ±<paramref name="limit"/>.
    /// <paramref name="imageDescription"/> says what the axes' pixels are (e.g. "resized to 256×256");
    /// <paramref name="limitDescription"/> how the limit was chosen.
    /// </summary>
    public static byte[] RenderPng(Rgb24Image scored, PatchMap map, double limit, string title, string imageDescription, string limitDescription)
    {
        ArgumentNullException.ThrowIfNull(scored);
        ArgumentNullException.ThrowIfNull(map);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(imageDescription);
        ArgumentNullException.ThrowIfNull(limitDescription);

        Rgb24Image display = SkiaImages.FitWithin(scored, MaxDisplaySide);
        // The colour layer has one value per displayed pixel (at least 2 per axis: ScottPlot places cells by their centres).
        int fieldWidth = Math.Max(2, display.Width), fieldHeight = Math.Max(2, display.Height);
        double[,] field = PatchMapUpsampler.Upsample(map, scored.Width, scored.Height, fieldWidth, fieldHeight);

        var plot = new Plot();
        plot.Font.Set(FigureFont.Family);
        using var bitmap = SkiaImages.ToBitmap(display);
        using var image = new Image(bitmap);

        // Coordinates are the scored image's pixels, y downwards as in the image.
        var imageRect = plot.Add.ImageRect(image, new CoordinateRect(left: 0, right: scored.Width, bottom: scored.Height, top: 0));
        imageRect.AntiAlias = false; // show pixels as pixels when enlarged

        var heatmap = plot.Add.Heatmap(field);
        heatmap.Colormap = LogitColormap.Colormap;
        heatmap.ManualRange = new ScottPlot.Range(-limit, limit);
        heatmap.AlphaMap = Opacities(field, limit);
        // Extent is the rectangle of the outer cells' centres; the cells then tile [0, width] × [0, height] exactly.
        double cellWidth = (double)scored.Width / fieldWidth, cellHeight = (double)scored.Height / fieldHeight;
        heatmap.Extent = new CoordinateRect(left: cellWidth / 2, right: scored.Width - cellWidth / 2,
                                            bottom: scored.Height - cellHeight / 2, top: cellHeight / 2);
        heatmap.FlipVertically = true; // ScottPlot flips rows for a y-down extent; row 0 belongs at the top (y = 0)

        var colorBar = plot.Add.ColorBar(heatmap);
        colorBar.Label = $"patch logit (< 0 real, > 0 fake), limits ±{limit.ToString("G4", CultureInfo.InvariantCulture)} ({limitDescription})";
        colorBar.LabelStyle.FontSize = 12;

        colorBar.Axis.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { TickDensity = 0.5, LabelFormatter = Label };

        plot.Title(title, size: 15);
        plot.XLabel($"x (pixels; image {imageDescription})", size: 12);
        plot.YLabel("y (pixels)", size: 12);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true, LabelFormatter = Label };
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true, LabelFormatter = Label };

        var (dataWidth, dataHeight) = DataAreaSize(display.Width, display.Height);
        int extra = Math.Max(0, MinFigureWidth - (PadLeft + dataWidth + PadRight));
        plot.Layout.Fixed(new PixelPadding(PadLeft + extra / 2, PadRight + extra - extra / 2, PadBottom, PadTop));
        plot.Axes.SetLimits(left: 0, right: scored.Width, bottom: scored.Height, top: 0);
        return plot.GetImageBytes(PadLeft + dataWidth + PadRight + extra, PadTop + dataHeight + PadBottom, ScottPlot.ImageFormat.Png);
    }

    /// <summary>Tick labels: plain numbers, no thousands separators.</summary>
    private static string Label(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>
    /// Per-cell opacity of the colour layer: faint near the real/fake boundary, where the image shows
    /// through, and stronger as |logit| approaches the limit.
    /// </summary>
    private static byte[,] Opacities(double[,] field, double limit)
    {
        int height = field.GetLength(0), width = field.GetLength(1);
        var alpha = new byte[height, width];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                double strength = Math.Min(1, Math.Abs(field[y, x]) / limit);
                alpha[y, x] = (byte)Math.Round(255 * (MinOpacity + (MaxOpacity - MinOpacity) * strength));
            }
        return alpha;
    }

    /// <summary>
    /// Size of the plotted image on the figure: small images enlarged by a whole factor (each pixel
    /// a crisp block, about 768 px on the longer side: 3× for 256×256), larger ones at one figure
    /// pixel per displayed pixel; at least 48 px per side.
    /// </summary>
    private static (int Width, int Height) DataAreaSize(int width, int height)
    {
        int longSide = Math.Max(width, height);
        int factor = longSide <= 384 ? 768 / longSide : 1;
        return (Math.Max(48, width * factor), Math.Max(48, height * factor));
    }
}
