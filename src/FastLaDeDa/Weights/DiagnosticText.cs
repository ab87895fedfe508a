using System.Text;

namespace FastLaDeDa.Weights;

/// <summary>
/// Puts text taken from a file (tensor names, pickle globals) into an error message. Error messages
/// are one line that a terminal prints as is, so control characters (and, for simplicity, all
/// surrogates) are escaped and very long names are cut: a hostile file must not be able to forge
/// or flood the output.
/// </summary>
internal static class DiagnosticText
{
    private const int MaxShownChars = 120;

    /// <summary>The text in single quotes, control characters escaped, cut after 120 characters.</summary>
    public static string Quote(string text)
    {
        var sb = new StringBuilder(Math.Min(text.Length, MaxShownChars) + 8).Append('\'');
        for (int i = 0; i < text.Length; i++)
        {
            if (i == MaxShownChars) { sb.Append("...(").Append(text.Length).Append(" chars)"); break; }
            char c = text[i];
            if (char.IsControl(c) || char.IsSurrogate(c) || c is '\u2028' or '\u2029') sb.Append($"\\u{(int)c:x4}");
            else if (c is '\'' or '\\') sb.Append('\\').Append(c);
            else sb.Append(c);
        }
        return sb.Append('\'').ToString();
    }

    /// <summary>A shape as <c>[a, b, c]</c>.</summary>
    public static string Shape(IEnumerable<long> dims) => "[" + string.Join(", ", dims) + "]";
}
