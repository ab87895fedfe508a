using System.Globalization;
using System.Text;
using System.Text.Json;
using FastLaDeDa.Evaluation;

namespace FastLaDeDa.Cli.Reporting;

/// <summary>
/// Renders per-set metrics (plus the mean row) as a console table, Markdown, CSV or JSON.
/// Percentages with one decimal as in the paper's tables; "n/a" where a metric is undefined.
/// </summary>
internal static class MetricsTable
{
    private static readonly string[] Header = ["set", "n_real", "n_fake", "ACC", "real ACC", "fake ACC", "AP", "AUC"];

    public static string Render(IReadOnlyList<SetMetrics> sets, SetMetrics mean, string format) => format switch
    {
        "markdown" => Markdown(Rows(sets, mean)),
        "csv" => Csv(sets, mean),
        "json" => Json(sets, mean),
        _ => Console(Rows(sets, mean)),
    };

    public static string Percent(double? value) => value is null ? "n/a" : (100 * value.Value).ToString("F1", CultureInfo.InvariantCulture);

    private static List<string[]> Rows(IReadOnlyList<SetMetrics> sets, SetMetrics mean) =>
        sets.Append(mean).Select(m => new[]
        {
            m.Name, m.RealCount.ToString(CultureInfo.InvariantCulture), m.FakeCount.ToString(CultureInfo.InvariantCulture),
            Percent(m.Accuracy), Percent(m.RealAccuracy), Percent(m.FakeAccuracy), Percent(m.AveragePrecision), Percent(m.Auc),
        }).ToList();

    private static string Console(List<string[]> rows)
    {
        int[] widths = Header.Select((h, c) => rows.Select(r => r[c].Length).Append(h.Length).Max()).ToArray();
        var sb = new StringBuilder();
        void Line(string[] cells) => sb.AppendLine(string.Join("  ", cells.Select((v, c) => c == 0 ? v.PadRight(widths[c]) : v.PadLeft(widths[c]))));
        Line(Header);
        sb.AppendLine(string.Join("  ", widths.Select(w => new string('-', w))));
        for (int i = 0; i < rows.Count; i++)
        {
            if (i == rows.Count - 1) sb.AppendLine(string.Join("  ", widths.Select(w => new string('-', w))));
            Line(rows[i]);
        }
        return sb.ToString();
    }

    private static string Markdown(List<string[]> rows)
    {
        var sb = new StringBuilder();
        sb.AppendLine("| " + string.Join(" | ", Header) + " |");
        sb.AppendLine("|" + string.Join("|", Header.Select((_, c) => c == 0 ? "---" : "---:")) + "|");
        for (int i = 0; i < rows.Count; i++)
        {
            string[] cells = i == rows.Count - 1 ? rows[i].Select(c => $"**{c}**").ToArray() : rows[i];
            sb.AppendLine("| " + string.Join(" | ", cells) + " |");
        }
        return sb.ToString();
    }

    private static string Csv(IReadOnlyList<SetMetrics> sets, SetMetrics mean)
    {
        static string F(double? v) => v?.ToString("R", CultureInfo.InvariantCulture) ?? "";
        var sb = new StringBuilder("set,n_real,n_fake,acc,real_acc,fake_acc,ap,auc\n");
        foreach (var m in sets.Append(mean))
            sb.AppendLine($"{CsvField(m.Name)},{m.RealCount},{m.FakeCount},{F(m.Accuracy)},{F(m.RealAccuracy)},{F(m.FakeAccuracy)},{F(m.AveragePrecision)},{F(m.Auc)}");
        return sb.ToString();
    }

    public static string CsvField(string value) =>
        value.IndexOfAny([',', '"', '\n', '\r']) < 0 ? value : "\"" + value.Replace("\"", "\"\"") + "\"";

    private static string Json(IReadOnlyList<SetMetrics> sets, SetMetrics mean)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteStartArray("sets");
            foreach (var m in sets) Write(w, m);
            w.WriteEndArray();
            w.WritePropertyName("mean");
            Write(w, mean);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + Environment.NewLine;
    }

    public static void Write(Utf8JsonWriter w, SetMetrics m)
    {
        static void Number(Utf8JsonWriter w, string name, double? v)
        {
            if (v is null) w.WriteNull(name);
            else w.WriteNumber(name, v.Value);
        }
        w.WriteStartObject();
        w.WriteString("set", m.Name);
        w.WriteNumber("n_real", m.RealCount);
        w.WriteNumber("n_fake", m.FakeCount);
        Number(w, "acc", m.Accuracy);
        Number(w, "real_acc", m.RealAccuracy);
        Number(w, "fake_acc", m.FakeAccuracy);
        Number(w, "ap", m.AveragePrecision);
        Number(w, "auc", m.Auc);
        w.WriteEndObject();
    }
}
