namespace FastLaDeDa.Preprocessing;

/// <summary>The names used for <see cref="PreprocessKind"/> in weights metadata and on the command line.</summary>
internal static class PreprocessKindNames
{
    private static readonly (PreprocessKind Kind, string Name)[] Names =
    [
        (PreprocessKind.Raw, "raw"),
        (PreprocessKind.Npr, "npr"),
        (PreprocessKind.NprTwoThirds, "npr_2_3"),
        (PreprocessKind.RightDiag, "right_diag"),
        (PreprocessKind.LeftDiag, "left_diag"),
        (PreprocessKind.XGrad, "x_grad"),
        (PreprocessKind.YGrad, "y_grad"),
    ];

    /// <summary>All accepted names, for help texts and error messages.</summary>
    public static IEnumerable<string> All => Names.Select(n => n.Name);

    /// <summary>The canonical name of <paramref name="kind"/>, e.g. <c>right_diag</c>.</summary>
    public static string ToName(this PreprocessKind kind) =>
        Names.First(n => n.Kind == kind).Name;

    /// <summary>Parses a name (case-insensitive; '-' and '_' are interchangeable).</summary>
    public static bool TryParse(string? text, out PreprocessKind kind)
    {
        string normalized = (text ?? "").Trim().ToLowerInvariant().Replace('-', '_');
        foreach (var (k, name) in Names)
            if (name == normalized) { kind = k; return true; }
        kind = default;
        return false;
    }
}
