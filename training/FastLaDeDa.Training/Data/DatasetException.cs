namespace FastLaDeDa.Training.Data;

/// <summary>
/// A training or validation folder cannot be used: missing, empty, holding one class only, or with
/// images that cannot be decoded (each named). The message is one line (or one line per file) fit to
/// print as it is.
/// </summary>
internal sealed class DatasetException(string message, Exception? inner = null) : Exception(message, inner);
