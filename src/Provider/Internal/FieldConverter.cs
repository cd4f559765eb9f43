using System.Globalization;
using StemeQL.Core.Model;
using StemeQL.Planner.Binding;

namespace StemeQL.Internal;

/// <summary>
/// Converts StemeQL values to the CLR types the reader's getters ask for (the one place this happens).
/// A conversion that would lose data throws, as the ADO.NET specification suite expects: a number
/// outside the target's range is an <see cref="OverflowException"/>; a fraction read as an integer, a
/// number that would round or flush to zero, and a boolean read as a number (or a number as a
/// boolean) are an <see cref="InvalidCastException"/>.
/// </summary>
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

    /// <summary>
    /// The value as <typeparamref name="T"/>. NULL becomes <see cref="DBNull"/> for <c>object</c> and
    /// <c>DBNull</c>, null for a <see cref="Nullable{T}"/>, and throws <see cref="InvalidCastException"/>
    /// for every other type, reference types included (<c>GetString</c> on NULL throws).
    /// </summary>
    public static T Convert<T>(StemeValue value, string column)
    {
        if (value.IsNull)
        {
            if (typeof(T) == typeof(DBNull) || typeof(T) == typeof(object)) return (T)(object)DBNull.Value;
            if (Nullable.GetUnderlyingType(typeof(T)) is not null) return default!;
            throw new InvalidCastException($"Column '{column}' is NULL: check IsDBNull first, or read it as a nullable value type or as object.");
        }
        // The common getters take their value straight out (the JIT drops these casts for value types):
        // through To they would box every double or long read.
        if (typeof(T) == typeof(double) && value.Kind == ValueKind.Real) return (T)(object)value.AsReal;
        if (typeof(T) == typeof(long) && value.Kind == ValueKind.Integer) return (T)(object)value.AsInteger;
        if (typeof(T) == typeof(bool) && value.Kind == ValueKind.Boolean) return (T)(object)value.AsBoolean;
        if (typeof(T) == typeof(string) && value.Kind == ValueKind.Text) return (T)(object)value.AsText;
        var target = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        return (T)To(value, target, column);
    }

    private static object To(StemeValue value, Type target, string column)
    {
        if (target == typeof(Stream) && value.Kind == ValueKind.Bytes) return new MemoryStream(value.AsBytes, writable: false);
        if (target == typeof(TextReader) && value.Kind == ValueKind.Text) return new StringReader(value.AsText);
        object clr = value.ToClr()!;
        if (target.IsInstanceOfType(clr)) return clr;
        try
        {
            return (value.Kind, target) switch
            {
                (ValueKind.Integer, _) when target.IsEnum => Enum.ToObject(target, value.AsInteger),
                (ValueKind.Integer, _) when IsNumeric(target) => FromInteger(value.AsInteger, target, column),
                (ValueKind.Real, _) when IsNumeric(target) => FromReal(value.AsReal, target, column),
                (ValueKind.Text, _) when target == typeof(Guid) => Guid.Parse(value.AsText),
                (ValueKind.Text, _) when target == typeof(char) && value.AsText.Length == 1 => value.AsText[0],
                (ValueKind.Timestamp, _) when target == typeof(DateTimeOffset) => new DateTimeOffset(value.AsTimestamp),
                // Every value has a lossless text form, so reading it as a string is allowed.
                (_, _) when target == typeof(string) => value.ToString(),
                _ => throw Mismatch(value, target, column),
            };
        }
        catch (FormatException e)
        {
            throw new InvalidCastException($"Column '{column}' holds {value}, which is not a {target.Name}.", e);
        }
    }

    private static object FromInteger(long number, Type target, string column)
    {
        switch (Type.GetTypeCode(target))
        {
            case TypeCode.Double:
                double d = number;
                // Above 2^53 a double cannot hold every integer: refuse rather than round.
                return d is >= -9.2233720368547758E18 and < 9.2233720368547758E18 && (long)d == number ? d : throw Rounds(number, target, column);
            case TypeCode.Single:
                float f = number;
                return f is >= -9.2233720368547758E18f and < 9.2233720368547758E18f && (long)f == number ? f : throw Rounds(number, target, column);
            case TypeCode.Decimal:
                return (decimal)number;
            default:
                try
                {
                    return System.Convert.ChangeType(number, target, CultureInfo.InvariantCulture);
                }
                catch (OverflowException e)
                {
                    throw OutOfRange(number.ToString(CultureInfo.InvariantCulture), target, column, e);
                }
        }
    }

    private static object FromReal(double number, Type target, string column)
    {
        string text = number.ToString("R", CultureInfo.InvariantCulture);
        switch (Type.GetTypeCode(target))
        {
            case TypeCode.Single:
                float f = (float)number;
                if (float.IsInfinity(f) && !double.IsInfinity(number)) throw OutOfRange(text, target, column, null);
                return f == 0 && number != 0 ? throw Rounds(number, target, column) : f;
            case TypeCode.Decimal:
                try
                {
                    return (decimal)number;
                }
                catch (OverflowException e)
                {
                    throw OutOfRange(text, target, column, e);
                }
            default:
                if (double.IsNaN(number) || double.IsInfinity(number)) throw OutOfRange(text, target, column, null);
                if (Math.Truncate(number) != number) throw Rounds(number, target, column);
                try
                {
                    return System.Convert.ChangeType(number, target, CultureInfo.InvariantCulture);
                }
                catch (OverflowException e)
                {
                    throw OutOfRange(text, target, column, e);
                }
        }
    }

    private static bool IsNumeric(Type type) => Type.GetTypeCode(type) is >= TypeCode.SByte and <= TypeCode.Decimal;

    private static OverflowException OutOfRange(string number, Type target, string column, Exception? inner) =>
        new($"Column '{column}' holds {number}, outside the range of {target.Name}: read it as a wider type (GetInt64, GetDouble).", inner);

    private static InvalidCastException Rounds(object number, Type target, string column) =>
        new(string.Create(CultureInfo.InvariantCulture, $"Column '{column}' holds {number}, which {target.Name} cannot hold exactly: read it as {(number is long ? "Int64" : "Double")}."));

    private static InvalidCastException Mismatch(StemeValue value, Type target, string column) =>
        new($"Column '{column}' holds a {value.Kind.ToString().ToLowerInvariant()} value, which cannot be read as {target.Name}.");
}
