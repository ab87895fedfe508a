using FastLaDeDa.Models;

namespace FastLaDeDa.Cli.Rendering;

/// <summary>
/// One cell of a patch map picked by <see cref="Top"/>: its rank (1 = most fake), position and logit.
/// The cell sees the scored image's pixels [Stride·Row, Stride·Row + ReceptiveField) ×
/// [Stride·Column, Stride·Column + ReceptiveField).
/// </summary>
internal sealed record RankedPatch(int Rank, int Row, int Column, float Logit)
{
    /// <summary>
    /// The <paramref name="count"/> cells with the highest logits (the most fake patches), highest
    /// first; equal logits keep row-major order. Fewer when the map has fewer cells.
    /// </summary>
    public static IReadOnlyList<RankedPatch> Top(PatchMap map, int count)
    {
        ArgumentNullException.ThrowIfNull(map);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        float[] logits = map.Logits;
        count = Math.Min(count, logits.Length);

        // A bounded selection keeps the best `count` indices sorted (count is small; the map has ~16k cells).
        var best = new List<int>(count + 1);
        for (int i = 0; i < logits.Length && count > 0; i++)
        {
            if (best.Count == count && !Before(i, best[^1])) continue;
            int at = best.Count;
            while (at > 0 && Before(i, best[at - 1])) at--;
            best.Insert(at, i);
            if (best.Count > count) best.RemoveAt(best.Count - 1);
        }
        return best.Select((index, rank) => new RankedPatch(rank + 1, index / map.Width, index % map.Width, logits[index])).ToArray();

        // Higher logit first; on a tie the lower index.
        bool Before(int a, int b) => logits[a] > logits[b] || (logits[a] == logits[b] && a < b);
    }
}
