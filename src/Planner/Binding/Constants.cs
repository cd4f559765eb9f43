using StemeQL.Core.Model;
using StemeQL.Planner.Binding.Bound;
using StemeQL.Planner.Syntax;

namespace StemeQL.Planner.Binding;

/// <summary>Evaluates expressions that read no column: statement arguments, LIMIT, AS OF, pinned keys.</summary>
internal static class Constants
{
    private static readonly RowScope NoRow = new(null, "a statement argument");

    /// <summary>The value of <paramref name="expression"/> with <paramref name="parameters"/> bound.</summary>
    public static StemeValue Evaluate(Expression expression, ParameterValues parameters) => expression switch
    {
        // The usual arguments, answered without binding: batches evaluate millions of them.
        LiteralExpression literal => literal.Value,
        ParameterExpression parameter => parameters.Get(parameter.Name),
        _ => new ExpressionBinder(NoRow).Bind(expression).Eval([], parameters),
    };
}
