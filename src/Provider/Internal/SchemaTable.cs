using System.Collections.ObjectModel;
using System.Data;
using System.Data.Common;

namespace StemeQL.Internal;

/// <summary>Builds the legacy schema table (<c>GetSchemaTable</c>) from the column schema.</summary>
internal static class SchemaTable
{
    public static DataTable Build(ReadOnlyCollection<DbColumn> columns)
    {
        var table = new DataTable("SchemaTable") { Locale = System.Globalization.CultureInfo.InvariantCulture };
        var name = table.Columns.Add(SchemaTableColumn.ColumnName, typeof(string));
        var ordinal = table.Columns.Add(SchemaTableColumn.ColumnOrdinal, typeof(int));
        var size = table.Columns.Add(SchemaTableColumn.ColumnSize, typeof(int));
        var type = table.Columns.Add(SchemaTableColumn.DataType, typeof(Type));
        var typeName = table.Columns.Add("DataTypeName", typeof(string));
        var allowNull = table.Columns.Add(SchemaTableColumn.AllowDBNull, typeof(bool));
        var baseName = table.Columns.Add(SchemaTableColumn.BaseColumnName, typeof(string));
        var isLong = table.Columns.Add(SchemaTableColumn.IsLong, typeof(bool));
        var readOnly = table.Columns.Add(SchemaTableOptionalColumn.IsReadOnly, typeof(bool));
        foreach (var column in columns)
        {
            var row = table.NewRow();
            row[name] = column.ColumnName;
            row[ordinal] = column.ColumnOrdinal ?? 0;
            row[size] = -1;
            row[type] = column.DataType;
            row[typeName] = column.DataTypeName;
            row[allowNull] = column.AllowDBNull ?? true;
            row[baseName] = column.BaseColumnName;
            row[isLong] = column.IsLong ?? false;
            row[readOnly] = true;
            table.Rows.Add(row);
        }
        return table;
    }
}
