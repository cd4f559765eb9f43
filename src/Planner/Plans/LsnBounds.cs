using StemeQL.Core.Model;
using StemeQL.Planner.Binding;
using StemeQL.Planner.Syntax;
using StemeQL.Storage.Abstractions;

namespace StemeQL.Planner.Plans;

/// <summary>
/// The conditions of a top-level AND that bound the row's LSN by a value (<c>lsn &gt; @since</c>,
/// <c>lsn &lt;= 100</c>, <c>lsn = 7</c>), which the store applies as an LSN range: reading what was
/// written since a point reads only that, not the whole ledger.
/// </summary>
internal sealed record LsnBounds(IReadOnlyList<LsnBounds.Bound> Bounds)
{
    /// <summary>One condition, written as <c>lsn Operator Value</c> (a value on the left is turned around).</summary>
    internal sealed record Bound(BinaryOperator Operator, Expression Value, Expression Conjunct);

    /// <summary>The LSN bounds in <paramref name="where"/>, or null when it has none.</summary>
    public static LsnBounds? Find(Expression? where)
    {
        List<Bound>? bounds = null;
        foreach (var conjunct in ExpressionWalker.Conjuncts(where))
        {
            if (conjunct is not BinaryExpression { Operator: var op } binary || Flipped(op) is null) continue;
            if (IsLsn(binary.Left) && IsValue(binary.Right)) (bounds ??= []).Add(new Bound(op, binary.Right, conjunct));
            else if (IsLsn(binary.Right) && IsValue(binary.Left)) (bounds ??= []).Add(new Bound(Flipped(op)!.Value, binary.Left, conjunct));
        }
        return bounds is null ? null : new LsnBounds(bounds);
    }

    /// <summary>The conjuncts these bounds came from (the seek applies them exactly).</summary>
    public IEnumerable<Expression> Conjuncts => Bounds.Select(b => b.Conjunct);

    /// <summary>
    /// Narrows <paramref name="keys"/> to the range the bounds allow with the parameters bound. A value that is
    /// not a number (NULL, text) makes the comparison unknown for every row, so nothing matches.
    /// </summary>
    public KeyFilter Apply(KeyFilter keys, ParameterValues parameters)
    {
        long min = keys.MinLsn, max = keys.MaxLsn;
        foreach (var bound in Bounds)
        {
            var value = Constants.Evaluate(bound.Value, parameters);
            if (!Range(bound.Operator, value, out long low, out long high)) return keys with { MinLsn = 1, MaxLsn = 0 };
            min = Math.Max(min, low);
            max = Math.Min(max, high);
        }
        return keys with { MinLsn = min, MaxLsn = max };
    }

    /// <inheritdoc />
    public override string ToString() => string.Join(", ", Bounds.Select(b => SyntaxPrinter.Print(b.Conjunct)));

    // The LSNs (whole numbers) that satisfy "lsn op value"; false when none can.
    private static bool Range(BinaryOperator op, StemeValue value, out long low, out long high)
    {
        (low, high) = (long.MinValue, long.MaxValue);
        if (value.Kind == ValueKind.Integer)
        {
            long i = value.AsInteger;
            return op switch
            {
                BinaryOperator.Equal => Set(i, i, out low, out high),
                BinaryOperator.GreaterThan => i < long.MaxValue && Set(i + 1, long.MaxValue, out low, out high),
                BinaryOperator.GreaterThanOrEqual => Set(i, long.MaxValue, out low, out high),
                BinaryOperator.LessThan => i > long.MinValue && Set(long.MinValue, i - 1, out low, out high),
                _ => Set(long.MinValue, i, out low, out high),
            };
        }
        if (value.Kind != ValueKind.Real || double.IsNaN(value.AsReal)) return false;
        // A real bound: the whole numbers on the right side of it, clamped to the range of an LSN.
        double v = value.AsReal;
        return op switch
        {
            BinaryOperator.Equal => Math.Floor(v) == v && Set(Whole(v), Whole(v), out low, out high),
            BinaryOperator.GreaterThan => Set(Whole(Math.Floor(v) + 1), long.MaxValue, out low, out high),
            BinaryOperator.GreaterThanOrEqual => Set(Whole(Math.Ceiling(v)), long.MaxValue, out low, out high),
            BinaryOperator.LessThan => Set(long.MinValue, Whole(Math.Ceiling(v) - 1), out low, out high),
            _ => Set(long.MinValue, Whole(Math.Floor(v)), out low, out high),
        };
    }

    private static bool Set(long from, long to, out long low, out long high)
    {
        (low, high) = (from, to);
        return true;
    }

    // LSNs are positive, so clamping a huge or tiny real to the long range changes no answer.
    private static long Whole(double v) => v >= 9.2e18 ? long.MaxValue : v <= -9.2e18 ? long.MinValue : (long)v;

    private static BinaryOperator? Flipped(BinaryOperator op) => op switch
    {
        BinaryOperator.Equal => BinaryOperator.Equal,
        BinaryOperator.GreaterThan => BinaryOperator.LessThan,
        BinaryOperator.GreaterThanOrEqual => BinaryOperator.LessThanOrEqual,
        BinaryOperator.LessThan => BinaryOperator.GreaterThan,
        BinaryOperator.LessThanOrEqual => BinaryOperator.GreaterThanOrEqual,
        _ => null,
    };

    private static bool IsLsn(Expression e) => e is ColumnExpression c && string.Equals(c.Name, "lsn", StringComparison.OrdinalIgnoreCase);

    private static bool IsValue(Expression e) => e is LiteralExpression or ParameterExpression;
}
