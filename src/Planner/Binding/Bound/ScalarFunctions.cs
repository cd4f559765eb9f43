using System.Text;
using StemeQL.Core.Model;

namespace StemeQL.Planner.Binding.Bound;

/// <summary>
/// The scalar functions of StemeQL: one entry per function, with its argument counts, result type and
/// implementation. NULL in gives NULL out, except for <c>coalesce</c>.
/// </summary>
internal static class ScalarFunctions
{
    /// <summary>A function: arity bounds, result type from the argument types, and the implementation.</summary>
    public sealed record Definition(string Name, int MinArgs, int MaxArgs, Func<Scalar[], ColumnType> ResultType, Func<StemeValue[], StemeValue> Invoke, string Usage);

    private static readonly Definition[] All =
    [
        .. TypedConversions.All,
        new("lower", 1, 1, _ => ColumnType.Text, a => NullOr(a[0], v => StemeValue.Text(Text(v, "lower").ToLowerInvariant())), "lower(text)"),
        new("upper", 1, 1, _ => ColumnType.Text, a => NullOr(a[0], v => StemeValue.Text(Text(v, "upper").ToUpperInvariant())), "upper(text)"),
        new("length", 1, 1, _ => ColumnType.Integer, a => NullOr(a[0], Length), "length(text or bytes)"),
        new("substr", 2, 3, _ => ColumnType.Text, Substring, "substr(text, start[, length]) with start counted from 1"),
        new("abs", 1, 1, a => a[0].Type is ColumnType.Integer or ColumnType.Real ? a[0].Type : ColumnType.Object, a => NullOr(a[0], Abs), "abs(number)"),
        new("round", 1, 2, a => a[0].Type is ColumnType.Integer or ColumnType.Real ? a[0].Type : ColumnType.Object, Round, "round(number[, digits])"),
        new("coalesce", 1, int.MaxValue, Types.Common, a => a.FirstOrDefault(v => !v.IsNull), "coalesce(value, value, ...)"),
    ];

    /// <summary>Every scalar function by name, case-insensitively.</summary>
    public static readonly IReadOnlyDictionary<string, Definition> ByName = All.ToDictionary(d => d.Name, StringComparer.OrdinalIgnoreCase);

    private static StemeValue NullOr(StemeValue value, Func<StemeValue, StemeValue> map) => value.IsNull ? value : map(value);

    private static string Text(StemeValue value, string function) => value.Kind == ValueKind.Text
        ? value.AsText
        : throw new StemeException(StemeErrorCode.TypeMismatch, $"{function} needs text, not the {value.Kind.ToString().ToLowerInvariant()} {value}.");

    private static double Number(StemeValue value, string function) => value.IsNumeric
        ? value.AsReal
        : throw new StemeException(StemeErrorCode.TypeMismatch, $"{function} needs a number, not the {value.Kind.ToString().ToLowerInvariant()} {value}.");

    // Length in code points, as SQL counts characters, so a character outside the BMP counts once.
    private static StemeValue Length(StemeValue value) => value.Kind switch
    {
        ValueKind.Text => StemeValue.Integer(CountRunes(value.AsText)),
        ValueKind.Bytes => StemeValue.Integer(value.BytesLength),
        _ => throw new StemeException(StemeErrorCode.TypeMismatch, $"length needs text or bytes, not the {value.Kind.ToString().ToLowerInvariant()} {value}."),
    };

    private static int CountRunes(string text)
    {
        int count = 0;
        foreach (var _ in text.EnumerateRunes()) count++;
        return count;
    }

    private static StemeValue Substring(StemeValue[] args)
    {
        if (args.Any(a => a.IsNull)) return StemeValue.Null;
        string text = Text(args[0], "substr");
        long start = Integer(args[1], "substr's start");
        long length = args.Length > 2 ? Integer(args[2], "substr's length") : long.MaxValue;
        if (length < 0)
            throw new StemeException(StemeErrorCode.TypeMismatch, $"substr's length cannot be negative ({length}).");
        var runes = text.EnumerateRunes().ToArray();
        // SQL counts from 1; a start before 1 still counts the positions before the text.
        long first = Math.Max(start, 1) - 1;
        long end = start - 1 + Math.Min(length, long.MaxValue - Math.Abs(start));
        if (first >= runes.Length || end <= first) return StemeValue.Text("");
        var sb = new StringBuilder();
        for (long i = first; i < Math.Min(end, runes.Length); i++) sb.Append(runes[i].ToString());
        return StemeValue.Text(sb.ToString());
    }

    private static long Integer(StemeValue value, string what) => value.Kind == ValueKind.Integer
        ? value.AsInteger
        : throw new StemeException(StemeErrorCode.TypeMismatch, $"{what} must be an integer, not {value}.");

    private static StemeValue Abs(StemeValue value) => value.Kind switch
    {
        ValueKind.Integer when value.AsInteger == long.MinValue => throw new StemeException(StemeErrorCode.NumericOverflow,
            $"abs({value.AsInteger}) does not fit in a 64-bit integer."),
        ValueKind.Integer => StemeValue.Integer(Math.Abs(value.AsInteger)),
        _ => StemeValue.Real(Math.Abs(Number(value, "abs"))),
    };

    private static StemeValue Round(StemeValue[] args)
    {
        if (args.Any(a => a.IsNull)) return StemeValue.Null;
        long digits = args.Length > 1 ? Integer(args[1], "round's digits") : 0;
        if (args[0].Kind == ValueKind.Integer && digits >= 0) return args[0];
        double value = Number(args[0], "round");
        if (double.IsNaN(value) || double.IsInfinity(value)) return StemeValue.Real(value);
        int places = (int)Math.Clamp(digits, 0, 15);
        return StemeValue.Real(Math.Round(value, places, MidpointRounding.AwayFromZero));
    }
}
