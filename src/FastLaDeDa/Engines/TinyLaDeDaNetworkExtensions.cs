using FastLaDeDa.Imaging;
using FastLaDeDa.Models;

namespace FastLaDeDa.Engines;

/// <summary>Conveniences over <see cref="ITinyLaDeDaNetwork.Run"/>.</summary>
public static class TinyLaDeDaNetworkExtensions
{
    /// <summary>Runs the network on <paramref name="image"/> and returns its patch-logit map.</summary>
    public static PatchMap RunMap(this ITinyLaDeDaNetwork network, Rgb24Image image)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(image);
        int mapWidth = TinyLaDeDaModel.MapSize(image.Width), mapHeight = TinyLaDeDaModel.MapSize(image.Height);
        var logits = new float[mapWidth * mapHeight];
        network.Run(image.Pixels, image.Width, image.Height, logits);
        return new PatchMap(mapWidth, mapHeight, logits, TinyLaDeDaModel.Stride, TinyLaDeDaModel.ReceptiveField);
    }

    /// <summary>Checks the arguments every engine shares.</summary>
    internal static void Validate(ReadOnlySpan<byte> rgb, int width, int height, Span<float> map)
    {
        if (width < 5 || height < 5) throw new ArgumentException($"Tiny-LaDeDa needs at least 5x5 pixels, got {width}x{height}");
        if (rgb.Length != checked(width * height * 3)) throw new ArgumentException($"expected {width * height * 3} RGB bytes for {width}x{height}, got {rgb.Length}", nameof(rgb));
        int expected = TinyLaDeDaModel.MapSize(width) * TinyLaDeDaModel.MapSize(height);
        if (!map.IsEmpty && map.Length != expected) throw new ArgumentException($"map must hold {expected} values (or be empty), got {map.Length}", nameof(map));
    }
}
