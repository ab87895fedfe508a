namespace FastLaDeDa.Cli.Serving;

/// <summary>Why a request or an image was turned away (the <c>reason</c> label of <c>fastladeda_rejections_total</c>).</summary>
internal enum RejectionReason
{
    /// <summary>The queue was full: 429.</summary>
    QueueFull,

    /// <summary>The body or one image was over the size limit: 413.</summary>
    TooLarge,

    /// <summary>Not an image, corrupt, over the pixel limits: 400, 415 or 422.</summary>
    BadImage,

    /// <summary>The request ran past its timeout: 503.</summary>
    Timeout,

    /// <summary>No or a wrong API key: 401.</summary>
    Unauthorized,

    /// <summary>The client went away before its answer.</summary>
    ClientGone,

    /// <summary>The service is stopping (SIGTERM) and takes no new images: 503.</summary>
    Stopping,
}
