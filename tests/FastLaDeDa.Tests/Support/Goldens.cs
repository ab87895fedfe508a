using FastLaDeDa.Imaging;
using FastLaDeDa.Weights;

namespace FastLaDeDa.Tests.Support;

/// <summary>
/// The official pipeline's outputs (<c>shared/golden/goldens.safetensors</c>, see its README),
/// read once per test run. Tests calling <see cref="Require"/> skip when the file is absent.
/// </summary>
internal static class Goldens
{
    private static readonly Lazy<StateDict?> File = new(() =>
    {
        string? root = SharedData.TryRoot;
        string path = root is null ? "" : Path.Combine(root, "golden", "goldens.safetensors");
        return System.IO.File.Exists(path) ? SafeTensors.Read(path) : null;
    });

    /// <summary>Image names that have goldens (file name without extension).</summary>
    public static IEnumerable<string> ImageNames =>
        Require().Tensors.Keys.Where(k => k.EndsWith(".resized", StringComparison.Ordinal)).Select(k => k[..^".resized".Length]).Order();

    /// <summary>The golden file; skips the calling test when it is absent.</summary>
    public static StateDict Require()
    {
        SharedData.RequireRoot();
        Skip.If(File.Value is null, "shared/golden/goldens.safetensors not found");
        return File.Value!;
    }

    /// <summary>True when the golden file holds <paramref name="name"/>.</summary>
    public static bool Has(string name) => Require().Tensors.ContainsKey(name);

    /// <summary>A float32 tensor's values.</summary>
    public static float[] Floats(string name) => Require().Tensors[name].ToFloat32();

    /// <summary>A scalar (shape [1]) float.</summary>
    public static float Scalar(string name) => Floats(name)[0];

    /// <summary>A U8 [H, W, 3] tensor as an image.</summary>
    public static Rgb24Image Image(string name)
    {
        var t = Require().Tensors[name];
        return new Rgb24Image(t.Shape[1], t.Shape[0], t.Bytes.ToArray());
    }

    /// <summary>The path of the source image file for <paramref name="imageName"/>.</summary>
    public static string ImagePath(string imageName)
    {
        string dir = SharedData.Require("golden", "images");
        return Directory.GetFiles(dir, imageName + ".*").Single();
    }

    /// <summary>The path of an official checkpoint; skips when absent.</summary>
    public static string OfficialCheckpoint(string fileName) => SharedData.Require("weights", "official", fileName);
}
