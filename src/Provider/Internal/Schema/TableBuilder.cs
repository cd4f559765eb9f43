using System.Data;
using System.Globalization;

namespace StemeQL.Internal.Schema;

/// <summary>Makes a schema <see cref="DataTable"/> from column names and types and rows of values.</summary>
internal static class TableBuilder
{
    /// <summary>A table with the given columns, filled with <paramref name="rows"/> (null becomes DBNull).</summary>
    public static DataTable Build(string name, (string Name, Type Type)[] columns, IEnumerable<object?[]> rows)
    {
        var table = new DataTable(name) { Locale = CultureInfo.InvariantCulture };
        foreach (var (column, type) in columns) table.Columns.Add(column, type);
        foreach (var row in rows) table.Rows.Add(row.Select(v => v ?? DBNull.Value).ToArray());
        return table;
    }
}
