using System.Data.Common;

namespace StemeQL.Cli;

/// <summary>
/// Prints a reader's current result set in the chosen <see cref="OutputMode"/>. CSV, JSON and line output
/// stream row by row; a table needs every row first to size its columns.
/// </summary>
internal sealed class ResultPrinter
{
    /// <summary>The output format.</summary>
    public OutputMode Mode { get; set; }

    /// <summary>psql's <c>\x</c>: table mode prints each row as a record of <c>column | value</c> lines.</summary>
    public bool Expanded { get; set; }

    /// <summary>Called after each row is printed in the streaming modes (tests use it to cancel mid-result).</summary>
    public Action? RowPrinted { get; set; }

    /// <summary>Whether a blank line separates this mode's result sets (machine-readable modes have none).</summary>
    public bool SeparatesResults => Mode is OutputMode.Table or OutputMode.Line;

    /// <summary>Reads and prints every row of the current result set.</summary>
    public void Print(TextWriter output, DbDataReader reader)
    {
        var headers = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToArray();
        switch (Mode)
        {
            case OutputMode.Csv:
                CsvFormat.Write(output, headers, Rows(reader, preview: false));
                break;
            case OutputMode.Json:
                JsonFormat.Write(output, headers, Rows(reader, preview: false));
                break;
            case OutputMode.Line:
                RecordFormats.WriteLines(output, headers, Rows(reader, preview: true));
                break;
            case OutputMode.Table when Expanded:
                RecordFormats.WriteExpanded(output, headers, Rows(reader, preview: true));
                break;
            default:
                var (_, rows) = ResultFormatter.ReadResult(reader);
                ResultFormatter.WriteTable(output, headers, rows);
                break;
        }
    }

    // CSV and JSON are for other programs and get every byte; the other formats are read by people.
    private IEnumerable<object?[]> Rows(DbDataReader reader, bool preview)
    {
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (int i = 0; i < row.Length; i++)
                row[i] = preview ? BytesPreview.Cell(reader, i) : reader.IsDBNull(i) ? null : reader.GetValue(i);
            yield return row;
            RowPrinted?.Invoke();
        }
    }
}
