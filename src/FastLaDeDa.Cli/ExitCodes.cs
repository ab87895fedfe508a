namespace FastLaDeDa.Cli;

/// <summary>Process exit codes, documented in README.md.</summary>
internal static class ExitCodes
{
    /// <summary>Everything succeeded.</summary>
    public const int Success = 0;

    /// <summary>At least one input file failed (each failure printed on stderr); the others were processed.</summary>
    public const int SomeInputsFailed = 1;

    /// <summary>Nothing could be done: bad weights, bad arguments, unwritable output.</summary>
    public const int Fatal = 2;

    /// <summary>A bug: an exception FastLaDeDa did not expect.</summary>
    public const int InternalError = 3;
}
