using System.Text;

namespace FastLaDeDa.Training.Data;

/// <summary>One CSV record: its fields and the line it starts on (1-based), for error messages.</summary>
internal sealed record CsvRecord(int Line, IReadOnlyList<string> Fields);

/// <summary>
/// A small RFC 4180 reader: comma-separated fields, a field in double quotes may hold commas, line
/// breaks and doubled quotes (<c>""</c>); CRLF and LF both end a record; empty lines are skipped.
/// Malformed quoting is a <see cref="DatasetException"/> naming the file and line, never a guess.
/// </summary>
internal static class CsvRecords
{
    /// <summary>Parses <paramref name="text"/>; <paramref name="fileName"/> names it in errors.</summary>
    public static List<CsvRecord> Parse(string text, string fileName)
    {
        ArgumentNullException.ThrowIfNull(text);
        var records = new List<CsvRecord>();
        var fields = new List<string>();
        var field = new StringBuilder();
        int line = 1, recordLine = 1, i = 0;
        bool atFieldStart = true, quotedInRecord = false;
        if (text.StartsWith('\uFEFF')) i = 1;

        void EndField()
        {
            fields.Add(field.ToString());
            field.Clear();
        }
        void EndRecord()
        {
            // A blank line is no record (a trailing newline must not add an empty row).
            if (fields.Count > 1 || fields[0].Length > 0 || quotedInRecord) records.Add(new CsvRecord(recordLine, fields.ToArray()));
            fields.Clear();
            quotedInRecord = false;
        }

        while (i < text.Length)
        {
            char c = text[i];
            if (c == '"' && atFieldStart)
            {
                // Quoted field: runs to the next quote not doubled; then a comma, a line end or the end must follow.
                atFieldStart = false;
                quotedInRecord = true;
                int openedOn = line;
                i++;
                while (true)
                {
                    if (i >= text.Length) throw new DatasetException($"{fileName}:{openedOn}: quoted field is never closed");
                    char q = text[i];
                    if (q == '"')
                    {
                        if (i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i += 2; continue; }
                        i++;
                        break;
                    }
                    if (q == '\n') line++;
                    field.Append(q);
                    i++;
                }
                if (i < text.Length && text[i] is not (',' or '\r' or '\n'))
                    throw new DatasetException($"{fileName}:{line}: unexpected '{text[i]}' after a closing quote (a quote inside a quoted field is written \"\")");
                continue;
            }
            if (c == ',')
            {
                EndField();
                atFieldStart = true;
                i++;
            }
            else if (c is '\r' or '\n')
            {
                EndField();
                EndRecord();
                atFieldStart = true;
                i += c == '\r' && i + 1 < text.Length && text[i + 1] == '\n' ? 2 : 1;
                line++;
                recordLine = line;
            }
            else if (c == '"')
            {
                throw new DatasetException($"{fileName}:{line}: quote inside an unquoted field (quote the whole field and double the quote)");
            }
            else
            {
                field.Append(c);
                atFieldStart = false;
                i++;
            }
        }
        if (field.Length > 0 || fields.Count > 0 || quotedInRecord)
        {
            EndField();
            EndRecord();
        }
        return records;
    }

    /// <summary>One field as CSV: quoted when it holds a comma, a quote or a line break.</summary>
    public static string Quote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}
