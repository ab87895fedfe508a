using FastLaDeDa.Imaging;
using FastLaDeDa.Models;

namespace FastLaDeDa.Engines;

/// <summary>Conveniences over <see cref="IPatchNetwork.Run"/>.</summary>
internal static class PatchNetworkExtensions
{
    /// <summary>Runs the network on <paramref name="image"/> and returns its patch-logit map.</summary>
    public static PatchMap RunMap(this IPatchNetwork network, Rgb24Image image)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(image);
        int mapWidth = network.MapSize(image.Width), mapHeight = network.MapSize(image.Height);
        var logits = new float[mapWidth * mapHeight];
        network.Run(image.Pixels, image.Width, image.Height, logits);
        return new PatchMap(mapWidth, mapHeight, logits, network.Stride, network.ReceptiveField);
    }

    /// <summary>Checks the arguments every engine shares.</summary>
    public static void Validate(this IPatchNetwork network, ReadOnlySpan<byte> rgb, int width, int height, Span<float> map)
    {
        ArgumentNullException.ThrowIfNull(network);
        int min = network.MinimumInputSize;
        if (width < min || height < min) throw new ArgumentException($"{network.EngineName} needs at least {min}x{min} pixels, got {width}x{height}");
        if (rgb.Length != checked(width * height * 3)) throw new ArgumentException($"expected {width * height * 3} RGB bytes for {width}x{height}, got {rgb.Length}", nameof(rgb));
        int expected = network.MapSize(width) * network.MapSize(height);
        if (!map.IsEmpty && map.Length != expected) throw new ArgumentException($"map must hold {expected} values (or be empty), got {map.Length}", nameof(map));
    }
}
