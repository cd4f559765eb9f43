using StemeQL.Core.Model;

namespace StemeQL.Planner.Binding.Bound;

/// <summary>Column types of values and of the results of operators.</summary>
internal static class Types
{
    /// <summary>The column type of a value; NULL has none of its own.</summary>
    public static ColumnType Of(StemeValue value) => value.Kind switch
    {
        ValueKind.Text => ColumnType.Text,
        ValueKind.Integer => ColumnType.Integer,
        ValueKind.Real => ColumnType.Real,
        ValueKind.Boolean => ColumnType.Boolean,
        ValueKind.Bytes => ColumnType.Bytes,
        ValueKind.Timestamp => ColumnType.Timestamp,
        _ => ColumnType.Object,
    };

    /// <summary>True for a type whose values are always numbers.</summary>
    private static bool IsNumber(ColumnType type) => type is ColumnType.Integer or ColumnType.Real;

    /// <summary>The type of an arithmetic result: integer with integers, real with any real, else per row.</summary>
    public static ColumnType Arithmetic(ColumnType left, ColumnType right) => (left, right) switch
    {
        (ColumnType.Integer, ColumnType.Integer) => ColumnType.Integer,
        (ColumnType.Real, ColumnType.Integer or ColumnType.Real) or (ColumnType.Integer, ColumnType.Real) => ColumnType.Real,
        _ => ColumnType.Object,
    };

    /// <summary>The one type of several branches (CASE, coalesce), ignoring NULL literals; Object when they differ.</summary>
    public static ColumnType Common(IEnumerable<Scalar> branches)
    {
        ColumnType? common = null;
        foreach (var branch in branches)
        {
            if (branch is LiteralScalar { Value.IsNull: true }) continue;
            if (common is null) common = branch.Type;
            else if (common != branch.Type)
                common = IsNumber(common.Value) && IsNumber(branch.Type) ? ColumnType.Real : ColumnType.Object;
        }
        return common ?? ColumnType.Object;
    }
}
