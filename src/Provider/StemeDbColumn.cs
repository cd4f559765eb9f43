using System.Data.Common;
using StemeQL.Internal;
using StemeQL.Planner.Binding;

namespace StemeQL;

/// <summary>The schema of one result column, as <see cref="StemeDataReader.GetColumnSchema"/> reports it.</summary>
public sealed class StemeDbColumn : DbColumn
{
    internal StemeDbColumn(ResultColumn column, int ordinal, ColumnType resultType)
    {
        ColumnName = column.Name;
        BaseColumnName = column.Name;
        ColumnOrdinal = ordinal;
        // The type the reader's GetFieldType / GetDataTypeName report: for `object`, the one its values share.
        DataType = FieldConverter.ClrType(resultType);
        DataTypeName = FieldConverter.TypeName(resultType);
        AllowDBNull = true;
        IsReadOnly = true;
        IsAliased = false;
        IsExpression = false;
        IsLong = column.Type is ColumnType.Bytes or ColumnType.Object;
    }
}
