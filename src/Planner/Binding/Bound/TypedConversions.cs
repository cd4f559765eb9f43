using StemeQL.Core.Model;

namespace StemeQL.Planner.Binding.Bound;

/// <summary>
/// The <c>to_text</c>, <c>to_integer</c>, <c>to_real</c>, <c>to_boolean</c> and <c>to_bytes</c> functions:
/// a polymorphic value (the <c>object</c> column) read as one static type, so a result column has a type
/// that ADO.NET tools (Dapper, DataTable) can map even when the result is empty. <c>to_text</c> converts
/// every kind; the others never lose data: a value of another kind (or a real with a fraction, for
/// <c>to_integer</c>) gives NULL.
/// </summary>
internal static class TypedConversions
{
    /// <summary>The functions, for <see cref="ScalarFunctions"/>.</summary>
    public static readonly ScalarFunctions.Definition[] All =
    [
        new("to_text", 1, 1, _ => ColumnType.Text, a => Map(a[0], v => StemeValue.Text(v.Kind == ValueKind.Text ? v.AsText : v.ToString())), "to_text(value)"),
        new("to_integer", 1, 1, _ => ColumnType.Integer, a => Map(a[0], ToInteger), "to_integer(value)"),
        new("to_real", 1, 1, _ => ColumnType.Real, a => Map(a[0], v => v.IsNumeric ? StemeValue.Real(v.AsReal) : StemeValue.Null), "to_real(value)"),
        new("to_boolean", 1, 1, _ => ColumnType.Boolean, a => Map(a[0], v => v.Kind == ValueKind.Boolean ? v : StemeValue.Null), "to_boolean(value)"),
        new("to_bytes", 1, 1, _ => ColumnType.Bytes, a => Map(a[0], v => v.Kind == ValueKind.Bytes ? v : StemeValue.Null), "to_bytes(value)"),
    ];

    private static StemeValue Map(StemeValue value, Func<StemeValue, StemeValue> map) => value.IsNull ? value : map(value);

    // A real converts only when it is whole and fits: 2.0 is 2, 2.5 and 1e300 are NULL.
    private static StemeValue ToInteger(StemeValue value) => value.Kind switch
    {
        ValueKind.Integer => value,
        ValueKind.Real when Math.Floor(value.AsReal) == value.AsReal && value.AsReal >= -9.2233720368547758E18 && value.AsReal < 9.2233720368547758E18
            => StemeValue.Integer((long)value.AsReal),
        _ => StemeValue.Null,
    };
}
