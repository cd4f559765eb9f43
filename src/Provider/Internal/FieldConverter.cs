using System.Globalization;
using StemeQL.Core.Model;
using StemeQL.Planner.Binding;

namespace StemeQL.Internal;

/// <summary>Converts StemeQL values to the CLR types the reader's getters ask for (the one place this happens).</summary>
internal static class FieldConverter
{
    /// <summary>The CLR type of a column as <c>GetFieldType</c> reports it.</summary>
    public static Type ClrType(ColumnType type) => type switch
    {
        ColumnType.Text => typeof(string),
        ColumnType.Integer => typeof(long),
        ColumnType.Real => typeof(double),
        ColumnType.Boolean => typeof(bool),
        ColumnType.Timestamp => typeof(DateTime),
        ColumnType.Bytes => typeof(byte[]),
        _ => typeof(object),
    };

    /// <summary>The type name <c>GetDataTypeName</c> reports.</summary>
    public static string TypeName(ColumnType type) => type.ToString().ToLowerInvariant();

    /// <summary>The value as <typeparamref name="T"/>; NULL becomes null for nullable targets and throws otherwise.</summary>
    public static T Convert<T>(StemeValue value, string column)
    {
        if (value.IsNull)
        {
            if (typeof(T) == typeof(DBNull) || typeof(T) == typeof(object)) return (T)(object)DBNull.Value;
            if (default(T) is null) return default!;
            throw new InvalidCastException($"Column '{column}' is NULL: read it as a nullable type or check IsDBNull first.");
        }
        var target = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        return (T)To(value, target, column);
    }

    private static object To(StemeValue value, Type target, string column)
    {
        object clr = value.ToClr()!;
        if (target.IsInstanceOfType(clr)) return clr;
        try
        {
            return (value.Kind, target) switch
            {
                (ValueKind.Integer or ValueKind.Real, _) when target.IsEnum => Enum.ToObject(target, value.AsInteger),
                (ValueKind.Integer or ValueKind.Real or ValueKind.Boolean, _) when IsNumeric(target) =>
                    System.Convert.ChangeType(clr, target, CultureInfo.InvariantCulture),
                (ValueKind.Integer, _) when target == typeof(bool) => value.AsInteger != 0,
                (ValueKind.Text, _) when target == typeof(Guid) => Guid.Parse(value.AsText),
                (ValueKind.Text, _) when target == typeof(char) && value.AsText.Length == 1 => value.AsText[0],
                (ValueKind.Timestamp, _) when target == typeof(DateTimeOffset) => new DateTimeOffset(value.AsTimestamp),
                (_, _) when target == typeof(string) => value.ToString(),
                _ => throw Mismatch(value, target, column),
            };
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            throw new InvalidCastException($"Column '{column}' holds {value}, which does not fit in {target.Name}.", e);
        }
    }

    private static bool IsNumeric(Type type) => Type.GetTypeCode(type) is >= TypeCode.SByte and <= TypeCode.Decimal;

    private static InvalidCastException Mismatch(StemeValue value, Type target, string column) =>
        new($"Column '{column}' holds a {value.Kind.ToString().ToLowerInvariant()} value, which cannot be read as {target.Name}.");
}
