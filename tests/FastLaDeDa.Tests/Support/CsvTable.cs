using System.Text;

namespace FastLaDeDa.Tests.Support;

/// <summary>
/// A small RFC 4180 CSV reader (quoted fields with commas, doubled quotes and line breaks), for
/// the reference tables in the shared folder.
/// </summary>
internal static class CsvTable
{
    /// <summary>Reads <paramref name="path"/>; each row maps the header's column names to its fields.</summary>
    public static List<Dictionary<string, string>> Read(string path)
    {
        List<List<string>> records = Parse(File.ReadAllText(path));
        List<string> header = records[0];
        return [.. records.Skip(1).Where(r => r.Count == header.Count)
            .Select(r => header.Zip(r).ToDictionary(p => p.First, p => p.Second))];
    }

    /// <summary>The records of <paramref name="text"/>, header included, fields unquoted.</summary>
    public static List<List<string>> Parse(string text)
    {
        var records = new List<List<string>>();
        var record = new List<string>();
        var field = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (quoted)
            {
                if (c != '"') field.Append(c);
                else if (i + 1 < text.Length && text[i + 1] == '"') field.Append(text[++i]);
                else quoted = false;
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { record.Add(field.ToString()); field.Clear(); }
            else if (c == '\n')
            {
                record.Add(field.ToString());
                field.Clear();
                records.Add(record);
                record = [];
            }
            else if (c != '\r') field.Append(c);
        }
        if (field.Length > 0 || record.Count > 0)
        {
            record.Add(field.ToString());
            records.Add(record);
        }
        return records;
    }
}
