using System.Data.Common;
using System.Globalization;
using System.Text;

namespace StemeQL.Cli;

/// <summary>Writes result sets as aligned text tables, psql style, and renders single values.</summary>
internal static class ResultFormatter
{
    /// <summary>Reads the column names and every row of the reader's current result set.</summary>
    public static (string[] Headers, List<object?[]> Rows) ReadResult(DbDataReader reader)
    {
        var headers = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToArray();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (int i = 0; i < row.Length; i++)
                row[i] = BytesPreview.Cell(reader, i);
            rows.Add(row);
        }
        return (headers, rows);
    }

    /// <summary>Writes a header, a dashed separator, the rows and a <c>(N rows)</c> footer.</summary>
    public static void WriteTable(TextWriter output, IReadOnlyList<string> headers, IReadOnlyList<object?[]> rows)
    {
        var cells = rows.Select(row => row.Select(FormatValue).ToArray()).ToList();
        var widths = headers.Select((h, c) => cells.Aggregate(h.Length, (w, row) => Math.Max(w, row[c].Length))).ToArray();
        // Numbers read best right-aligned; a column is numeric when every value in it is a number.
        var numeric = headers.Select((_, c) => rows.Count > 0 && rows.All(r => r[c] is null || IsNumber(r[c]!)) && rows.Any(r => r[c] is not null)).ToArray();

        output.WriteLine(Line(headers.Select((h, c) => Pad(h, widths[c], right: false))));
        output.WriteLine(string.Join("-+-", widths.Select(w => new string('-', w))));
        foreach (var row in cells)
            output.WriteLine(Line(row.Select((v, c) => Pad(v, widths[c], numeric[c]))));
        output.WriteLine(rows.Count == 1 ? "(1 row)" : $"({rows.Count.ToString(CultureInfo.InvariantCulture)} rows)");
    }

    /// <summary>
    /// A value as the shell shows it: NULL, true/false, reals to at most 6 decimals, bytes as
    /// <c>x'0aff'</c> (long ones as a <see cref="BytesPreview"/>), timestamps as ISO-8601 UTC; always in the invariant culture.
    /// </summary>
    public static string FormatValue(object? value) => value switch
    {
        null or DBNull => "NULL",
        string text => Escape(text),
        bool flag => flag ? "true" : "false",
        double real => FormatReal(real),
        float real => FormatReal(real),
        decimal number => number.ToString(CultureInfo.InvariantCulture),
        byte[] bytes => "x'" + Convert.ToHexStringLower(bytes) + "'",
        BytesPreview preview => preview.ToString(),
        DateTime time => FormatTimestamp(time.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(time, DateTimeKind.Utc) : time.ToUniversalTime()),
        DateTimeOffset time => FormatTimestamp(time.UtcDateTime),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => Escape(value.ToString() ?? ""),
    };

    private static string FormatReal(double real)
    {
        if (double.IsNaN(real) || double.IsInfinity(real))
            return real.ToString(CultureInfo.InvariantCulture);
        string text = real.ToString("0.0#####", CultureInfo.InvariantCulture);
        // Tiny values would round to 0.0: show them in exponent form instead.
        return real != 0 && Math.Abs(real) < 0.000001 ? real.ToString("G6", CultureInfo.InvariantCulture) : text;
    }

    private static string FormatTimestamp(DateTime utc) =>
        utc.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    private static bool IsNumber(object value) => value is long or int or short or byte or double or float or decimal;

    /// <summary>Control characters would break the table's lines, so they are shown escaped.</summary>
    private static string Escape(string text)
    {
        if (!text.Any(char.IsControl)) return text;
        var builder = new StringBuilder(text.Length + 8);
        foreach (char c in text)
        {
            builder.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
                _ => c.ToString(),
            });
        }
        return builder.ToString();
    }

    private static string Pad(string text, int width, bool right) => right ? text.PadLeft(width) : text.PadRight(width);

    private static string Line(IEnumerable<string> cells) => string.Join(" | ", cells).TrimEnd();
}
