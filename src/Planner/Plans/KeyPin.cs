using StemeQL.Core.Model;
using StemeQL.Planner.Binding;
using StemeQL.Planner.Syntax;

namespace StemeQL.Planner.Plans;

/// <summary>
/// A column the WHERE clause pins to a list of values (<c>col = v</c> or <c>col IN (v, ...)</c> in a
/// top-level AND, with literals or parameters), so storage can seek instead of scanning.
/// </summary>
internal sealed record KeyPin(string Column, SyntaxList<Expression> Values)
{
    /// <summary>Finds the pin on <paramref name="column"/>, if any.</summary>
    public static KeyPin? Find(Expression? where, string column)
    {
        foreach (var conjunct in ExpressionWalker.Conjuncts(where))
        {
            switch (conjunct)
            {
                case BinaryExpression { Operator: BinaryOperator.Equal } eq when IsColumn(eq.Left, column) && IsValue(eq.Right):
                    return new KeyPin(column, SyntaxList.Of(eq.Right)) { Conjunct = conjunct };
                case BinaryExpression { Operator: BinaryOperator.Equal } eq when IsColumn(eq.Right, column) && IsValue(eq.Left):
                    return new KeyPin(column, SyntaxList.Of(eq.Left)) { Conjunct = conjunct };
                case InExpression { Negated: false } @in when IsColumn(@in.Operand, column) && @in.Values.All(IsValue):
                    return new KeyPin(column, @in.Values) { Conjunct = conjunct };
            }
        }
        return null;
    }

    /// <summary>The top-level conjunct of the WHERE clause this pin was found in.</summary>
    public Expression? Conjunct { get; init; }

    /// <summary>
    /// The pinned hashes: hex in either case is accepted (as <c>VOTE</c> accepts it); a value that is not a hash
    /// names no assertion and is dropped.
    /// </summary>
    public IReadOnlyCollection<ContentHash> HashValues(ParameterValues parameters)
    {
        // One pinned hash (the usual lookup) needs no set.
        if (Values.Count == 1)
            return Constants.Evaluate(Values[0], parameters) is { Kind: ValueKind.Text } single && ContentHash.TryParse(single.AsText, out var one) ? [one] : [];
        var hashes = new HashSet<ContentHash>();
        foreach (var text in TextValues(parameters))
        {
            if (ContentHash.TryParse(text, out var hash)) hashes.Add(hash);
        }
        return hashes;
    }

    /// <summary>The pinned text values; values of other kinds cannot equal a text column and are dropped.</summary>
    public IReadOnlyCollection<string> TextValues(ParameterValues parameters)
    {
        // One pinned value (the usual lookup) needs no set.
        if (Values.Count == 1) return OneText(parameters) is { } single ? [single] : [];
        return TextSet(parameters);
    }

    /// <summary>The text of a pin on one value, or null when that value is not text (so it matches nothing).</summary>
    public string? OneText(ParameterValues parameters) =>
        Constants.Evaluate(Values[0], parameters) is { Kind: ValueKind.Text } single ? single.AsText : null;

    // Apart, so the lambda's closure is allocated only for a set, not on every single-value lookup.
    private HashSet<string> TextSet(ParameterValues parameters) =>
        Values.Select(v => Constants.Evaluate(v, parameters))
              .Where(v => v.Kind == ValueKind.Text)
              .Select(v => v.AsText)
              .ToHashSet(StringComparer.Ordinal);

    /// <summary>The pinned values as typed values (an object column matches by kind and value).</summary>
    public IReadOnlyCollection<StemeValue> ObjectValues(ParameterValues parameters) =>
        Values.Select(v => Constants.Evaluate(v, parameters)).ToHashSet();

    /// <summary>True when <paramref name="conjunct"/> is a pin on <paramref name="column"/> (so the seek alone applies it).</summary>
    public static bool IsPin(Expression conjunct, string column) => Find(conjunct, column) is not null;

    /// <summary>For EXPLAIN: <c>subject = 'x'</c> or <c>subject IN ('x', 'y')</c>.</summary>
    public override string ToString() => Values.Count == 1
        ? $"{Column} = {SyntaxPrinter.Print(Values[0])}"
        : $"{Column} IN ({string.Join(", ", Values.Select(SyntaxPrinter.Print))})";

    private static bool IsColumn(Expression e, string column) =>
        e is ColumnExpression c && string.Equals(c.Name, column, StringComparison.OrdinalIgnoreCase);

    private static bool IsValue(Expression e) => e is LiteralExpression or ParameterExpression;
}
