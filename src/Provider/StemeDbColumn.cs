using System.Data.Common;
using StemeQL.Internal;
using StemeQL.Planner.Binding;

namespace StemeQL;

/// <summary>The schema of one result column, as <see cref="StemeDataReader.GetColumnSchema"/> reports it.</summary>
public sealed class StemeDbColumn : DbColumn
{
    internal StemeDbColumn(ResultColumn column, int ordinal, Type dataType)
    {
        ColumnName = column.Name;
        BaseColumnName = column.Name;
        ColumnOrdinal = ordinal;
        DataType = dataType;
        DataTypeName = FieldConverter.TypeName(column.Type);
        AllowDBNull = true;
        IsReadOnly = true;
        IsAliased = false;
        IsExpression = false;
        IsLong = column.Type is ColumnType.Bytes or ColumnType.Object;
    }
}
