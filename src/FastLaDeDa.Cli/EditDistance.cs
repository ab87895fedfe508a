namespace FastLaDeDa.Cli;

/// <summary>
/// "Did you mean …?" for misspelt commands and options: the optimal string alignment distance
/// (Levenshtein plus the swap of two adjacent characters, each edit counting 1), and the closest
/// candidate within a third of the word's length.
/// </summary>
internal static class EditDistance
{
    /// <summary>
    /// The fewest insertions, deletions, substitutions and adjacent transpositions (no substring
    /// edited twice) that turn <paramref name="a"/> into <paramref name="b"/>; case-sensitive.
    /// </summary>
    public static int Between(string a, string b)
    {
        // d[i, j]: distance between a[..i] and b[..j]; three rows suffice for the transposition.
        var before = new int[b.Length + 1];
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) previous[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                int d = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    d = Math.Min(d, before[j - 2] + 1);
                current[j] = d;
            }
            (before, previous, current) = (previous, current, before);
        }
        return previous[b.Length];
    }

    /// <summary>
    /// The candidate closest to <paramref name="word"/> (leading dashes ignored on both sides), or
    /// null when none lies within max(1, length / 3) edits. Ties go to the earlier candidate.
    /// </summary>
    public static string? Closest(string word, IEnumerable<string> candidates)
    {
        string bare = word.TrimStart('-');
        int limit = Math.Max(1, bare.Length / 3);
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (string candidate in candidates)
        {
            int d = Between(bare, candidate.TrimStart('-'));
            if (d <= limit && d < bestDistance) (best, bestDistance) = (candidate, d);
        }
        return best;
    }
}
