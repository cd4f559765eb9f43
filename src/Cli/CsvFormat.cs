using System.Globalization;

namespace StemeQL.Cli;

/// <summary>Result sets as RFC 4180 CSV: a header row, fields quoted when they must be, NULL as an empty field.</summary>
internal static class CsvFormat
{
    public static void Write(TextWriter output, IReadOnlyList<string> headers, IEnumerable<object?[]> rows)
    {
        output.Write(Record(headers));
        foreach (var row in rows)
            output.Write(Record(row.Select(Field)));
    }

    /// <summary>A value as a CSV field: text unescaped, reals at full precision, the rest as the table shows them.</summary>
    public static string Field(object? value) => value switch
    {
        null or DBNull => "",
        string text => text,
        double real => real.ToString("R", CultureInfo.InvariantCulture),
        float real => real.ToString("R", CultureInfo.InvariantCulture),
        _ => ResultFormatter.FormatValue(value),
    };

    private static string Record(IEnumerable<string> fields) => string.Join(",", fields.Select(Quote)) + "\r\n";

    private static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") >= 0 || (field.Length > 0 && (char.IsWhiteSpace(field[0]) || char.IsWhiteSpace(field[^1])))
            ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : field;
}
