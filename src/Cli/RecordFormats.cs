using System.Globalization;

namespace StemeQL.Cli;

/// <summary>Result sets printed a row at a time as records: sqlite3's line mode and psql's expanded (<c>\x</c>) output.</summary>
internal static class RecordFormats
{
    /// <summary>sqlite3's <c>.mode line</c>: <c>column = value</c>, names right-aligned, a blank line between rows.</summary>
    public static void WriteLines(TextWriter output, IReadOnlyList<string> headers, IEnumerable<object?[]> rows)
    {
        int width = headers.Count == 0 ? 0 : headers.Max(h => h.Length);
        bool first = true;
        foreach (var row in rows)
        {
            if (!first) output.WriteLine();
            first = false;
            for (int i = 0; i < headers.Count; i++)
                output.WriteLine($"{headers[i].PadLeft(width)} = {ResultFormatter.FormatValue(row[i])}");
        }
    }

    /// <summary>psql's expanded output: a <c>-[ RECORD n ]</c> rule, then <c>column | value</c> per column.</summary>
    public static void WriteExpanded(TextWriter output, IReadOnlyList<string> headers, IEnumerable<object?[]> rows)
    {
        int width = headers.Count == 0 ? 0 : headers.Max(h => h.Length);
        int count = 0;
        foreach (var row in rows)
        {
            string rule = $"-[ RECORD {(++count).ToString(CultureInfo.InvariantCulture)} ]";
            output.WriteLine(rule + new string('-', Math.Max(0, width + 3 - rule.Length)));
            for (int i = 0; i < headers.Count; i++)
                output.WriteLine($"{headers[i].PadRight(width)} | {ResultFormatter.FormatValue(row[i])}".TrimEnd());
        }
        if (count == 0) output.WriteLine("(0 rows)");
    }
}
