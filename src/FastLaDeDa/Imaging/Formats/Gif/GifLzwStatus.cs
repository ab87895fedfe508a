namespace FastLaDeDa.Imaging.Formats.Gif;

/// <summary>Why <see cref="GifLzwDecoder.Decode"/> returned.</summary>
internal enum GifLzwStatus
{
    /// <summary>Every pixel of the frame has been written.</summary>
    Complete,

    /// <summary>It stopped at an end code, or needs a sub-block that lies past the data it was given; it resumes where it stopped.</summary>
    Suspended,

    /// <summary>The data holds a code that cannot be decoded (Pillow: "broken data stream").</summary>
    Broken,
}
