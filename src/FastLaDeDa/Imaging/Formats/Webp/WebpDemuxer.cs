using FastLaDeDa.Errors;

namespace FastLaDeDa.Imaging.Formats.Webp;

/// <summary>The canvas and frames of a WebP file, as <see cref="WebpDemuxer"/> finds them.</summary>
internal sealed record WebpContainer(int CanvasWidth, int CanvasHeight, bool IsAnimation, IReadOnlyList<WebpFrame> Frames);

/// <summary>
/// The RIFF container walk of libwebp 1.2.4's demuxer (<c>WebPDemux</c>, which Pillow's
/// <c>WebPAnimDecoder</c> runs on every file): simple files (one VP8 or VP8L chunk), extended files
/// (VP8X, then ICCP/EXIF/XMP/unknown chunks and one image with its optional ALPH chunk) and
/// animations (ANIM, then ANMF frames with offsets). It rejects what libwebp rejects: RIFF sizes
/// beyond the file, chunks beyond the RIFF, stray bytes after the last chunk, invalid VP8X flags,
/// frames outside the canvas, images in the wrong place, and so on.
/// </summary>
internal ref struct WebpDemuxer
{
    private enum Status { Ok, NeedMoreData, Error }

    private readonly ReadOnlySpan<byte> _data;
    private readonly string? _source;
    private int _position;
    private readonly int _end; // end of the RIFF chunk (the file may go on; libwebp ignores the rest)
    private bool _isExtended;
    private int _flags;
    private int _canvasWidth = -1, _canvasHeight = -1;
    private readonly List<WebpFrame> _frames = [];
    private string _error = "invalid chunk layout";

    private WebpDemuxer(ReadOnlySpan<byte> data, int end, string? source)
    {
        _data = data;
        _end = end;
        _source = source;
        _position = WebpChunk.RiffHeaderSize;
    }

    /// <summary>Demuxes <paramref name="data"/>; throws <see cref="ImageDecodeException"/> when libwebp's demuxer would fail.</summary>
    public static WebpContainer Demux(ReadOnlySpan<byte> data, string? source)
    {
        if (data.Length < WebpChunk.RiffHeaderSize + WebpChunk.HeaderSize) throw Corrupt(source, "file is truncated");
        if (WebpChunk.FourCC(data) != WebpChunk.Riff || WebpChunk.FourCC(data[8..]) != WebpChunk.Webp)
            throw Corrupt(source, "missing RIFF/WEBP signature");
        uint riffSize = WebpChunk.ReadUInt32(data, 4);
        if (riffSize < WebpChunk.HeaderSize || riffSize > WebpChunk.MaxPayload) throw Corrupt(source, $"invalid RIFF size {riffSize}");
        long riffEnd = riffSize + (long)WebpChunk.HeaderSize;
        if (data.Length < riffEnd) throw Corrupt(source, $"file is truncated: the RIFF header declares {riffEnd} bytes, the file has {data.Length}");

        var demuxer = new WebpDemuxer(data, (int)riffEnd, source);
        uint first = WebpChunk.FourCC(data[WebpChunk.RiffHeaderSize..]);
        Status status;
        bool valid;
        if (first == WebpChunk.Vp8 || first == WebpChunk.Vp8L)
        {
            status = demuxer.ParseSingleImage();
            valid = status == Status.Ok && demuxer.IsValidSimpleFormat();
        }
        else if (first == WebpChunk.Vp8X)
        {
            status = demuxer.ParseVp8X();
            valid = status == Status.Ok && demuxer.IsValidExtendedFormat();
        }
        else
        {
            throw Corrupt(source, "the first chunk is not VP8, VP8L or VP8X");
        }
        if (!valid)
            throw Corrupt(source, status == Status.NeedMoreData ? "file is truncated (a chunk is cut short)" : demuxer._error);
        return new WebpContainer(demuxer._canvasWidth, demuxer._canvasHeight, (demuxer._flags & WebpChunk.AnimationFlag) != 0, demuxer._frames);
    }

    private readonly int Remaining => _end - _position;

    private Status Fail(string cause)
    {
        _error = cause;
        return Status.Error;
    }

    /// <summary>A still image: its ALPH (VP8X files) and VP8/VP8L chunks.</summary>
    private Status ParseSingleImage()
    {
        if (_frames.Count > 0) return Fail("more than one image in a still file");
        if (Remaining < WebpChunk.HeaderSize) return Fail("chunk header beyond the RIFF chunk");

        var frame = new WebpFrame();
        Status status = StoreFrame(1, 0, ref frame);
        if (status == Status.Error) return status;

        // An ALPH chunk counts only when VP8X announces alpha.
        if ((_flags & WebpChunk.AlphaFlag) == 0 && frame.AlphaSize > 0)
            frame.AlphaOffset = frame.AlphaSize = 0;
        if (!_isExtended && frame.Width > 0 && frame.Height > 0)
        {
            _canvasWidth = frame.Width;
            _canvasHeight = frame.Height;
        }
        _frames.Add(frame);
        return status;
    }

    /// <summary>
    /// Records the ALPH and VP8/VP8L chunks that start at the current position into
    /// <paramref name="frame"/>, stopping at the first other chunk (left unread).
    /// </summary>
    private Status StoreFrame(int frameNumber, long minSize, ref WebpFrame frame)
    {
        if (Remaining < WebpChunk.HeaderSize || Remaining < minSize) return Status.NeedMoreData;
        int alphaChunks = 0, imageChunks = 0;
        while (true)
        {
            int chunkStart = _position;
            uint fourCC = WebpChunk.FourCC(_data[_position..]);
            uint payloadSize = WebpChunk.ReadUInt32(_data, _position + 4);
            _position += WebpChunk.HeaderSize;
            if (payloadSize > WebpChunk.MaxPayload) return Fail("invalid chunk size");
            long padded = WebpChunk.Padded(payloadSize);
            if (padded > Remaining) return Fail("a chunk runs past the end of the RIFF chunk");
            int chunkSize = WebpChunk.HeaderSize + (int)padded;

            bool stored = false;
            if (fourCC == WebpChunk.Alph)
            {
                if (alphaChunks == 0)
                {
                    alphaChunks++;
                    frame.AlphaOffset = chunkStart;
                    frame.AlphaSize = chunkSize;
                    frame.Number = frameNumber;
                    stored = true;
                }
            }
            else if (fourCC == WebpChunk.Vp8 || fourCC == WebpChunk.Vp8L)
            {
                // VP8L carries its own alpha: an ALPH chunk before it is an error.
                if (fourCC == WebpChunk.Vp8L && alphaChunks > 0) return Fail("ALPH chunk before a lossless image");
                if (imageChunks == 0)
                {
                    // The bitstream header must be valid (libwebp asks WebPGetFeatures about the chunk alone).
                    if (WebpHeaderParser.Parse(_data.Slice(chunkStart, chunkSize), haveAllData: false, forDecoding: false,
                            out WebpBitstreamHeaders features, _source) != WebpHeaderStatus.Ok)
                        return Fail("invalid image bitstream header");
                    imageChunks++;
                    frame.ImageOffset = chunkStart;
                    frame.ImageSize = chunkSize;
                    frame.Width = features.Width;
                    frame.Height = features.Height;
                    frame.Number = frameNumber;
                    frame.Complete = true;
                    stored = true;
                }
            }

            if (stored)
            {
                _position += (int)padded;
            }
            else
            {
                // Any other chunk ends the frame; it is read again by the caller.
                _position = chunkStart;
                return Status.Ok;
            }
            if (_position == _end) return Status.Ok;
            if (Remaining < WebpChunk.HeaderSize) return Status.NeedMoreData;
        }
    }

    /// <summary>The VP8X header and the chunks after it.</summary>
    private Status ParseVp8X()
    {
        _isExtended = true;
        _position += 4;
        uint size = WebpChunk.ReadUInt32(_data, _position);
        _position += 4;
        if (size > WebpChunk.MaxPayload || size < WebpChunk.Vp8XPayloadSize) return Fail($"VP8X chunk of {size} bytes");
        long padded = WebpChunk.Padded(size);
        if (padded > Remaining) return Fail("VP8X chunk runs past the end of the RIFF chunk");

        _flags = _data[_position];
        _canvasWidth = 1 + WebpChunk.ReadUInt24(_data, _position + 4);
        _canvasHeight = 1 + WebpChunk.ReadUInt24(_data, _position + 7);
        if ((ulong)_canvasWidth * (ulong)_canvasHeight >= WebpChunk.MaxImageArea) return Fail("canvas is too large");
        _position += (int)padded;
        if (Remaining < WebpChunk.HeaderSize) return Fail("no chunk after VP8X");
        return ParseVp8XChunks();
    }

    private Status ParseVp8XChunks()
    {
        bool isAnimation = (_flags & WebpChunk.AnimationFlag) != 0;
        int animChunks = 0;
        Status status = Status.Ok;
        do
        {
            int chunkStart = _position;
            uint fourCC = WebpChunk.FourCC(_data[_position..]);
            uint size = WebpChunk.ReadUInt32(_data, _position + 4);
            _position += WebpChunk.HeaderSize;
            if (size > WebpChunk.MaxPayload) return Fail("invalid chunk size");
            long padded = WebpChunk.Padded(size);
            if (padded > Remaining) return Fail("a chunk runs past the end of the RIFF chunk");

            if (fourCC == WebpChunk.Vp8X)
            {
                return Fail("second VP8X chunk");
            }
            else if (fourCC == WebpChunk.Alph || fourCC == WebpChunk.Vp8 || fourCC == WebpChunk.Vp8L)
            {
                if (animChunks > 0 || isAnimation) return Fail("image chunk outside ANMF in an animation");
                _position = chunkStart;
                status = ParseSingleImage();
            }
            else if (fourCC == WebpChunk.Anim)
            {
                if (padded < WebpChunk.AnimPayloadSize) return Fail("ANIM chunk is too short");
                animChunks++;
                _position += (int)padded;
            }
            else if (fourCC == WebpChunk.Anmf)
            {
                if (animChunks == 0) return Fail("ANMF before ANIM");
                status = ParseAnimationFrame(padded);
            }
            else
            {
                // ICCP, EXIF, XMP and unknown chunks are skipped.
                _position += (int)padded;
            }

            if (_position == _end) break;
            if (Remaining < WebpChunk.HeaderSize) status = Status.NeedMoreData;
        }
        while (status == Status.Ok);
        return status;
    }

    /// <summary>An ANMF chunk: its header, then the frame's ALPH / VP8 / VP8L chunks.</summary>
    private Status ParseAnimationFrame(long anmfSize)
    {
        bool isAnimation = (_flags & WebpChunk.AnimationFlag) != 0;
        long payloadSize = anmfSize - WebpChunk.AnmfHeaderSize;
        if (Remaining < WebpChunk.AnmfHeaderSize || anmfSize < WebpChunk.AnmfHeaderSize) return Fail("ANMF chunk is too short");

        var frame = new WebpFrame
        {
            X = 2 * WebpChunk.ReadUInt24(_data, _position),
            Y = 2 * WebpChunk.ReadUInt24(_data, _position + 3),
            Width = 1 + WebpChunk.ReadUInt24(_data, _position + 6),
            Height = 1 + WebpChunk.ReadUInt24(_data, _position + 9),
        };
        _position += WebpChunk.AnmfHeaderSize;
        if ((ulong)frame.Width * (ulong)frame.Height >= WebpChunk.MaxImageArea) return Fail("ANMF frame is too large");

        int framePayloadStart = _position;
        Status status = StoreFrame(_frames.Count + 1, payloadSize, ref frame);
        if (status != Status.Error && _position - framePayloadStart > payloadSize) return Fail("frame chunks run past their ANMF chunk");
        // A frame counts only in an animation and once it has an image (or alpha) chunk.
        if (status != Status.Error && isAnimation && frame.Number > 0)
        {
            if (_frames.Count > 0 && !_frames[^1].Complete) return Fail("a frame has no image");
            _frames.Add(frame);
        }
        return status;
    }

    private readonly bool IsValidSimpleFormat()
    {
        if (_canvasWidth <= 0 || _canvasHeight <= 0 || _frames.Count == 0) return false;
        return _frames[0].Width > 0 && _frames[0].Height > 0;
    }

    private bool IsValidExtendedFormat()
    {
        bool isAnimation = (_flags & WebpChunk.AnimationFlag) != 0;
        if (_frames.Count == 0) return Invalid("no image");
        if ((_flags & ~WebpChunk.AllValidFlags) != 0) return Invalid($"invalid VP8X flags 0x{_flags:X2}");
        foreach (WebpFrame frame in _frames)
        {
            if (!isAnimation && frame.Number > 1) return Invalid("more than one image in a still file");
            if (!frame.Complete) return Invalid("a frame has no image");
            if (frame.AlphaSize > 0 && frame.AlphaOffset > frame.ImageOffset) return Invalid("ALPH chunk after its image");
            if (frame.Width <= 0 || frame.Height <= 0) return Invalid("empty frame");
            bool inBounds = isAnimation
                ? frame.X + (long)frame.Width <= _canvasWidth && frame.Y + (long)frame.Height <= _canvasHeight
                : frame.X == 0 && frame.Y == 0 && frame.Width == _canvasWidth && frame.Height == _canvasHeight;
            if (!inBounds) return Invalid(isAnimation ? "a frame lies outside the canvas" : "image size differs from the VP8X canvas");
        }
        return true;
    }

    private bool Invalid(string cause)
    {
        _error = cause;
        return false;
    }

    private static ImageDecodeException Corrupt(string? source, string cause) => new(source, "corrupt WebP: " + cause);
}
