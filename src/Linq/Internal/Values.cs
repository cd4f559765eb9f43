using System.Globalization;

namespace StemeQL.Linq;

/// <summary>Converts the values a reader returns to the CLR types a query's lambdas use (the one place this happens).</summary>
internal static class Values
{
    /// <summary>The value of column <paramref name="ordinal"/> of a row read with <c>GetValues</c>.</summary>
    public static T Read<T>(object?[] row, int ordinal) => Convert<T>(row[ordinal], "column " + (ordinal + 1));

    /// <summary>The value as <typeparamref name="T"/>; null (or DBNull) becomes null for nullable targets and throws otherwise.</summary>
    public static T Convert<T>(object? value, string what)
    {
        if (value is null or DBNull)
        {
            if (default(T) is null) return default!;
            throw new InvalidOperationException(
                $"The query returned NULL for {what}, which cannot be read as {typeof(T).Name}: use a nullable type (for example {typeof(T).Name}?).");
        }
        if (value is T typed) return typed;
        var target = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        try
        {
            object converted = target switch
            {
                _ when target.IsEnum => Enum.ToObject(target, value),
                _ when target == typeof(DateTimeOffset) && value is DateTime dt => new DateTimeOffset(DateTime.SpecifyKind(dt, DateTimeKind.Utc)),
                _ when target == typeof(string) => System.Convert.ToString(value, CultureInfo.InvariantCulture)!,
                _ => System.Convert.ChangeType(value, target, CultureInfo.InvariantCulture),
            };
            return (T)converted;
        }
        catch (Exception e) when (e is InvalidCastException or FormatException or OverflowException)
        {
            throw new InvalidCastException($"The query returned {value} ({value.GetType().Name}) for {what}, which cannot be read as {typeof(T).Name}.", e);
        }
    }
}
