using FastLaDeDa.Errors;

namespace FastLaDeDa.Imaging.Formats.Jpeg;

/// <summary>
/// A JPEG decoder that yields exactly the pixels Pillow 9.4 gets from libjpeg-turbo 2.1 with its
/// settings (accurate integer IDCT, fancy upsampling, block smoothing, no scaling) and its
/// conversion to RGB: same markers accepted or refused, same recovery from corrupt data (zero
/// bits after a marker, restart resynchronisation), same output bytes.
/// </summary>
/// <remarks>
/// <para>The structure follows libjpeg's: marker parsing (<c>JpegDecoder.Markers.cs</c>), scans
/// decoded into coefficients (<c>JpegDecoder.Scans.cs</c>), then per iMCU row the inverse DCT,
/// upsampling and colour conversion (<c>JpegDecoder.Output.cs</c>). A single-scan (baseline)
/// image streams: only three iMCU rows of samples are held. A multi-scan (progressive or
/// non-interleaved) image keeps every coefficient until the last scan, as libjpeg does.</para>
/// <para>Where Pillow fails — an error from libjpeg, or libjpeg needing bytes past the end of the
/// file before the last row is out — this decoder throws <see cref="ImageDecodeException"/>; a
/// variant Pillow or libjpeg does not decode (12-bit, lossless, hierarchical, 2 or 5+ components)
/// throws <see cref="UnsupportedImageFormatException"/>.</para>
/// </remarks>
internal sealed partial class JpegDecoder : IDisposable
{
    private readonly string? _source;
    private readonly ImageLimits _limits;
    private readonly JpegEntropySegment _segment = new();
    private readonly JpegKernels _kernels;
    private readonly int _minimumOutputWidth, _minimumOutputHeight;

    private JpegDecoder(string? source, ImageLimits limits, JpegKernels kernels, int minimumOutputWidth, int minimumOutputHeight)
    {
        _source = source;
        _limits = limits;
        _kernels = kernels;
        (_minimumOutputWidth, _minimumOutputHeight) = (minimumOutputWidth, minimumOutputHeight);
    }

    /// <summary>Decodes <paramref name="data"/> (a whole JPEG file) to RGB.</summary>
    public static Rgb24Image Decode(ReadOnlySpan<byte> data, ImageLimits limits, string? source)
    {
        var sink = new ImageRowSink();
        Decode(data, limits, source, sink);
        return sink.Image;
    }

    /// <summary>Decodes <paramref name="data"/> (a whole JPEG file), handing the RGB rows to <paramref name="sink"/>.</summary>
    /// <param name="data">The whole file.</param>
    /// <param name="limits">Size limits, checked against the frame header before anything is allocated.</param>
    /// <param name="source">A name for error messages.</param>
    /// <param name="sink">Receives the rows.</param>
    /// <param name="kernels">The SIMD kernels (null: <see cref="JpegKernels.Best"/>; tests pin each one).</param>
    /// <param name="reducedToAtLeast">
    /// Reduced decoding: decode at the smallest DCT scale (1/8, 1/4, 1/2) whose output is at least
    /// this many pixels on both sides (the sink then receives that size); 0 decodes at full size,
    /// the exact official pipeline.
    /// </param>
    public static void Decode(ReadOnlySpan<byte> data, ImageLimits limits, string? source, IRgbRowSink sink, JpegKernels? kernels = null, int reducedToAtLeast = 0)
    {
        using var decoder = new JpegDecoder(source, limits, kernels ?? JpegKernels.Best, reducedToAtLeast, reducedToAtLeast);
        decoder.Run(data, sink);
    }

    private void Run(ReadOnlySpan<byte> data, IRgbRowSink sink)
    {
        ReadFirstMarker(data);
        while (ReadMarkers(data) != MarkerResult.StartOfScan)
        {
            // An end-of-image marker before any scan: a frame without a scan is an error, but a
            // tables-only stream is legal; libjpeg keeps its tables and starts over at the next
            // byte, which must be a start-of-image marker (an "abbreviated" JPEG).
            if (_sawSof) throw Corrupt("no image data (a frame header but no scan before the end-of-image marker)");
            if (_position + 2 > data.Length) throw Truncated();
            if (data[_position] != 0xFF || data[_position + 1] != Soi) throw Corrupt("no image data (only tables before the end-of-image marker)");
            _position += 2;
            _sawSoi = false;
            _unreadMarker = Soi;
        }
        SetUpFrame();
        if (_multipleScans)
        {
            ConsumeAllScans(data);
            Output(data, sink);
        }
        else
        {
            StartScan(data);
            Output(data, sink);
            FinishSingleScan(data);
        }
    }

    private ImageDecodeException Corrupt(string what) => new(_source, $"corrupt JPEG: {what}");

    /// <summary>
    /// libjpeg asked for bytes past the end of the file. Pillow's suspending source turns that into
    /// "image file is truncated" — except after the last row of a single-scan image, where it is
    /// ignored — so <see cref="_endOfData"/> keeps this case apart from other corruption.
    /// </summary>
    private ImageDecodeException Truncated()
    {
        _endOfData = true;
        return new ImageDecodeException(_source, TruncatedCause);
    }

    /// <summary>The cause given for every truncated JPEG.</summary>
    internal const string TruncatedCause = "truncated JPEG (the file ends before the image is complete)";

    private bool _endOfData;

    private UnsupportedImageFormatException Unsupported(string what) => new(_source, what);

    /// <summary>Returns the pooled buffers.</summary>
    public void Dispose()
    {
        _segment.Dispose();
        ReturnBuffers();
    }
}
