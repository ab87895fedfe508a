using FastLaDeDa.Imaging;
using FastLaDeDa.Models;
using SkiaSharp;

namespace FastLaDeDa.Cli.Rendering;

/// <summary>
/// The most-fake patches as a horizontal strip (the paper's Fig. 7b): each patch's receptive-field
/// window cropped from the scored image, enlarged with nearest-neighbour sampling, framed in its
/// colour on the logit scale, with its logit and position printed under it.
/// </summary>
internal static class PatchStripRenderer
{
    /// <summary>Figure pixels per image pixel (a 7×7 window becomes 84×84).</summary>
    public const int Scale = 12;

    /// <summary>Space around and between the tiles.</summary>
    public const int Gap = 12;

    /// <summary>Height of the caption under each tile.</summary>
    public const int CaptionHeight = 40;

    private const int Frame = 3;

    /// <summary>Width of the strip for <paramref name="count"/> patches of <paramref name="receptiveField"/> pixels.</summary>
    public static int StripWidth(int count, int receptiveField) => count * receptiveField * Scale + (count + 1) * Gap;

    /// <summary>
    /// Renders <paramref name="patches"/> (left to right) of <paramref name="map"/>, computed on
    /// <paramref name="scored"/>, as PNG bytes; frames are coloured on the scale ±<paramref name="limit"/>. Parts of a window beyond the image (the model's
    /// padding at the right and bottom edges) are drawn as a grey checkerboard.
    /// </summary>
    public static byte[] RenderPng(Rgb24Image scored, PatchMap map, IReadOnlyList<RankedPatch> patches, double limit)
    {
        ArgumentNullException.ThrowIfNull(scored);
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(patches);
        if (patches.Count == 0) throw new ArgumentException("no patches to draw", nameof(patches));

        int tile = map.ReceptiveField * Scale;
        var info = new SKImageInfo(StripWidth(patches.Count, map.ReceptiveField), Gap + tile + CaptionHeight, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var surface = SKSurface.Create(info) ?? throw new InvalidOperationException("SkiaSharp could not create a surface");
        SKCanvas canvas = surface.Canvas;
        canvas.Clear(SKColors.White);

        using var bitmap = SkiaImages.ToBitmap(scored);
        using var image = SKImage.FromBitmap(bitmap);
        // ScottPlot's font lookup, so the strip uses the figure's font; its typefaces are cached there, not ours to dispose.
        using var logitFont = new SKFont(ScottPlot.Fonts.GetTypeface(FigureFont.Family, bold: true, italic: false), 15) { Edging = SKFontEdging.Antialias };
        using var positionFont = new SKFont(ScottPlot.Fonts.GetTypeface(FigureFont.Family, bold: false, italic: false), 11) { Edging = SKFontEdging.Antialias };
        using var textPaint = new SKPaint { Color = new SKColor(0x22, 0x22, 0x22), IsAntialias = true };
        using var greyPaint = new SKPaint { Color = new SKColor(0x66, 0x66, 0x66), IsAntialias = true };
        using var framePaint = new SKPaint { Style = SKPaintStyle.Stroke, StrokeWidth = Frame, IsAntialias = false };
        using var checkerPaint = new SKPaint { Color = new SKColor(0xCC, 0xCC, 0xCC) };

        for (int k = 0; k < patches.Count; k++)
        {
            RankedPatch patch = patches[k];
            int left = Gap + k * (tile + Gap), top = Gap;
            var window = SKRectI.Create(patch.Column * map.Stride, patch.Row * map.Stride, map.ReceptiveField, map.ReceptiveField);
            var inside = SKRectI.Intersect(window, SKRectI.Create(0, 0, scored.Width, scored.Height));

            DrawCheckerboard(canvas, checkerPaint, SKRect.Create(left, top, tile, tile));
            if (!inside.IsEmpty)
            {
                var destination = SKRect.Create(left + (inside.Left - window.Left) * Scale, top + (inside.Top - window.Top) * Scale,
                                                inside.Width * Scale, inside.Height * Scale);
                canvas.DrawImage(image, inside, destination, new SKSamplingOptions(SKFilterMode.Nearest), null);
            }

            framePaint.Color = LogitColormap.ColorOf(patch.Logit, limit).ToSKColor();
            canvas.DrawRect(SKRect.Create(left - Frame / 2f, top - Frame / 2f, tile + Frame, tile + Frame), framePaint);

            float centre = left + tile / 2f;
            canvas.DrawText(patch.Logit.ToString("+0.000;-0.000", System.Globalization.CultureInfo.InvariantCulture),
                            centre, top + tile + 19, SKTextAlign.Center, logitFont, textPaint);
            canvas.DrawText($"#{patch.Rank}  r{patch.Row} c{patch.Column}", centre, top + tile + 34, SKTextAlign.Center, positionFont, greyPaint);
        }
        return SkiaImages.EncodePng(surface);
    }

    /// <summary>A light checkerboard marking pixels outside the image.</summary>
    private static void DrawCheckerboard(SKCanvas canvas, SKPaint paint, SKRect area)
    {
        const int cell = Scale / 2;
        for (int y = 0; y * cell < area.Height; y++)
            for (int x = 0; x * cell < area.Width; x++)
                if ((x + y) % 2 == 0)
                    canvas.DrawRect(SKRect.Create(area.Left + x * cell, area.Top + y * cell, cell, cell), paint);
    }
}
