using System.Runtime.InteropServices;
using StbImageSharp;

namespace FastLaDeDa.Imaging;

/// <summary>
/// The only place that calls StbImageSharp. It calls the loader of the format the sniffer found
/// (never stb's own format guessing, which would try other formats when one fails), asks for RGB
/// (stb's conversions match Pillow's <c>convert("RGB")</c> for the cases the structure walks let
/// through: grey is replicated, alpha dropped, palettes looked up, 16-bit samples reduced to their
/// high byte) and turns every stb failure into an <see cref="ImageDecodeException"/> carrying
/// stb's reason.
/// </summary>
/// <remarks>
/// stb allocates its results with <c>Marshal.AllocHGlobal</c> (Hebron's <c>CRuntime.malloc</c>)
/// and does not expose the matching free, so they are released here with
/// <see cref="Marshal.FreeHGlobal"/>; only stb's diagnostic allocation counter
/// (<c>StbImage.NativeAllocations</c>) does not see those frees.
/// </remarks>
internal static unsafe class StbImageBridge
{
    private delegate void* Loader(StbImage.stbi__context context, int* width, int* height, int* channels, int requiredChannels, StbImage.stbi__result_info* info);

    /// <summary>Decodes to 8-bit RGB.</summary>
    public static Rgb24Image DecodeRgb(ReadOnlySpan<byte> data, ImageFormat format, string? source)
    {
        void* pixels = Load(data, format, requiredChannels: 3, source, out int width, out int height, out int bits);
        try
        {
            if (bits == 16)
            {
                // stbi__convert_16_to_8 keeps the high byte (like Pillow's ";16B" unpackers) and frees its input.
                byte* reduced = StbImage.stbi__convert_16_to_8((ushort*)pixels, width, height, 3);
                pixels = reduced;
                if (pixels is null) throw Failed(source, StbImage.stbi__g_failure_reason, null);
            }
            else if (bits != 8)
            {
                throw Failed(source, $"unexpected {bits}-bit result", null);
            }
            var rgb = new byte[(long)width * height * 3];
            new ReadOnlySpan<byte>(pixels, rgb.Length).CopyTo(rgb);
            return new Rgb24Image(width, height, rgb);
        }
        finally
        {
            if (pixels is not null) Marshal.FreeHGlobal((IntPtr)pixels);
        }
    }

    /// <summary>
    /// Decodes a 16-bit grey PNG the way Pillow 9.4 does: Pillow opens it in mode "I" (32-bit
    /// integers holding 0..65535) and <c>convert("RGB")</c> clips each value to 0..255, so every
    /// sample of 255 or more becomes white. Keeping the high byte (stb's 8-bit result) would be
    /// wrong, so this reads the 16-bit samples and clips them.
    /// </summary>
    public static Rgb24Image DecodeGrey16PngClipped(ReadOnlySpan<byte> data, string? source)
    {
        void* pixels = Load(data, ImageFormat.Png, requiredChannels: 1, source, out int width, out int height, out int bits);
        try
        {
            if (bits != 16) throw Failed(source, $"expected 16-bit samples, got {bits}-bit", null);
            ushort* samples = (ushort*)pixels;
            long count = (long)width * height;
            var rgb = new byte[count * 3];
            for (long i = 0; i < count; i++)
            {
                byte value = samples[i] > 255 ? (byte)255 : (byte)samples[i];
                rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = value;
            }
            return new Rgb24Image(width, height, rgb);
        }
        finally
        {
            Marshal.FreeHGlobal((IntPtr)pixels);
        }
    }

    private static void* Load(ReadOnlySpan<byte> data, ImageFormat format, int requiredChannels, string? source, out int width, out int height, out int bits)
    {
        Loader loader = format switch
        {
            ImageFormat.Jpeg => StbImage.stbi__jpeg_load,
            ImageFormat.Png => StbImage.stbi__png_load,
            ImageFormat.Tga => StbImage.stbi__tga_load,
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "stb does not decode this format here"),
        };
        int w = 0, h = 0, channels = 0;
        // What stbi__load_main sets up before it calls a loader.
        var info = new StbImage.stbi__result_info { bits_per_channel = 8, channel_order = StbImage.STBI_ORDER_RGB };
        void* pixels;
        try
        {
            fixed (byte* bytes = data)
            {
                using var stream = new UnmanagedMemoryStream(bytes, data.Length);
                pixels = loader(new StbImage.stbi__context(stream), &w, &h, &channels, requiredChannels, &info);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw Failed(source, e.Message, e);
        }
        if (pixels is null)
            throw Failed(source, StbImage.stbi__g_failure_reason, null);
        (width, height, bits) = (w, h, info.bits_per_channel);
        if (width <= 0 || height <= 0)
        {
            Marshal.FreeHGlobal((IntPtr)pixels);
            throw Failed(source, "invalid dimensions", null);
        }
        return pixels;
    }

    private static ImageDecodeException Failed(string? source, string? reason, Exception? inner)
    {
        // stb sometimes reports a reason made of NUL characters; keep only printable text.
        string text = new string((reason ?? "").Where(c => !char.IsControl(c)).ToArray()).Trim();
        return new ImageDecodeException(source, text.Length == 0 ? "corrupt image data" : $"corrupt image data ({text})", inner);
    }
}
