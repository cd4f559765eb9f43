using System.Data.Common;
using StemeQL.Internal;
using StemeQL.Planner.Binding;

namespace StemeQL;

/// <summary>The schema of one result column, as <see cref="StemeDataReader.GetColumnSchema"/> reports it.</summary>
public sealed class StemeDbColumn : DbColumn
{
    internal StemeDbColumn(ResultColumn column, int ordinal)
    {
        ColumnName = column.Name;
        BaseColumnName = column.Name;
        ColumnOrdinal = ordinal;
        DataType = FieldConverter.ClrType(column.Type);
        DataTypeName = FieldConverter.TypeName(column.Type);
        AllowDBNull = true;
        IsReadOnly = true;
        IsAliased = false;
        IsExpression = false;
        IsLong = column.Type is ColumnType.Bytes or ColumnType.Object;
    }
}
