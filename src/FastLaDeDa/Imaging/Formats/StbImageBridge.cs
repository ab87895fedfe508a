using System.Runtime.InteropServices;
using StbImageSharp;
using FastLaDeDa.Errors;

namespace FastLaDeDa.Imaging.Formats;

/// <summary>
/// The only place that calls StbImageSharp, which decodes TGA files (every other format has a
/// decoder of its own). It calls stb's TGA loader directly (never stb's own format guessing, which
/// would try other formats when one fails), asks for RGB (stb's conversions match Pillow's
/// <c>convert("RGB")</c> for the cases the structure walk lets through: grey is replicated, alpha
/// dropped, colour maps looked up) and turns every stb failure into an
/// <see cref="ImageDecodeException"/> carrying stb's reason.
/// </summary>
/// <remarks>
/// stb allocates its results with <c>Marshal.AllocHGlobal</c> (Hebron's <c>CRuntime.malloc</c>)
/// and does not expose the matching free, so they are released here with
/// <see cref="Marshal.FreeHGlobal"/>; only stb's diagnostic allocation counter
/// (<c>StbImage.NativeAllocations</c>) does not see those frees.
/// </remarks>
internal static unsafe class StbImageBridge
{
    /// <summary>Decodes a TGA file to 8-bit RGB.</summary>
    public static Rgb24Image DecodeTga(ReadOnlySpan<byte> data, string? source)
    {
        int width = 0, height = 0, channels = 0;
        // What stbi__load_main sets up before it calls a loader.
        var info = new StbImage.stbi__result_info { bits_per_channel = 8, channel_order = StbImage.STBI_ORDER_RGB };
        void* pixels;
        try
        {
            fixed (byte* bytes = data)
            {
                using var stream = new UnmanagedMemoryStream(bytes, data.Length);
                pixels = StbImage.stbi__tga_load(new StbImage.stbi__context(stream), &width, &height, &channels, 3, &info);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw Failed(source, e.Message, e);
        }
        if (pixels is null)
            throw Failed(source, StbImage.stbi__g_failure_reason, null);
        try
        {
            if (width <= 0 || height <= 0) throw Failed(source, "invalid dimensions", null);
            if (info.bits_per_channel != 8) throw Failed(source, $"unexpected {info.bits_per_channel}-bit result", null);
            var rgb = new byte[(long)width * height * 3];
            new ReadOnlySpan<byte>(pixels, rgb.Length).CopyTo(rgb);
            return new Rgb24Image(width, height, rgb);
        }
        finally
        {
            Marshal.FreeHGlobal((IntPtr)pixels);
        }
    }

    private static ImageDecodeException Failed(string? source, string? reason, Exception? inner)
    {
        // stb sometimes reports a reason made of NUL characters; keep only printable text.
        string text = new string((reason ?? "").Where(c => !char.IsControl(c)).ToArray()).Trim();
        return new ImageDecodeException(source, text.Length == 0 ? "corrupt image data" : $"corrupt image data ({text})", inner);
    }
}
