using StemeQL.Planner.Binding;
using StemeQL.Planner.Syntax;

namespace StemeQL.Planner.Parsing;

/// <summary>
/// Bounds what the binder and evaluator will recurse over. AND / OR chains are flat nodes and cost no
/// depth, so only chains of arithmetic (<c>a + b + c ...</c>) and nesting make a tree deep; past
/// <see cref="MaxDepth"/> levels, or past <see cref="MaxTerms"/> terms in one expression, a statement is
/// refused with <see cref="StemeErrorCode.QueryTooComplex"/> instead of risking the process's stack.
/// </summary>
internal static class SyntaxLimits
{
    /// <summary>The deepest expression tree accepted.</summary>
    public const int MaxDepth = 1_000;

    /// <summary>The most terms (nodes) accepted in one expression.</summary>
    public const int MaxTerms = 200_000;

    /// <summary>Checks every expression of <paramref name="statement"/>.</summary>
    public static void Check(Statement statement)
    {
        foreach (var expression in Expressions(statement)) Check(expression);
    }

    private static void Check(Expression expression)
    {
        int terms = 0;
        foreach (var _ in ExpressionWalker.Nodes(expression))
        {
            if (++terms > MaxTerms)
                throw SyntaxPositions.Error(expression, StemeErrorCode.QueryTooComplex,
                    $"an expression has more than {MaxTerms:N0} terms: split the query, or put long value lists in one IN (...) list per column, or into several commands.");
        }
        if (ExpressionWalker.Depth(expression) > MaxDepth)
            throw SyntaxPositions.Error(expression, StemeErrorCode.QueryTooComplex,
                $"an expression is nested more than {MaxDepth:N0} levels deep (a long chain of + - * / counts one level per operator): split it into several expressions or queries.");
    }

    private static IEnumerable<Expression> Expressions(Statement statement)
    {
        switch (statement)
        {
            case ExplainStatement explain:
                foreach (var e in Expressions(explain.Query)) yield return e;
                break;
            case SelectStatement select:
                foreach (var item in select.Columns ?? SyntaxList<SelectItem>.Empty) yield return item.Expression;
                if (select.Where is not null) yield return select.Where;
                foreach (var key in select.GroupBy) yield return key;
                if (select.Having is not null) yield return select.Having;
                foreach (var order in select.OrderBy) yield return order.Expression;
                break;
        }
    }
}
