using System.Linq.Expressions;

namespace StemeQL.Linq;

/// <summary>One LINQ operator's translation: it folds its call into the <see cref="QueryModel"/>.</summary>
internal abstract class QueryOperator
{
    /// <summary>Applies <paramref name="call"/> (whose source is already in <paramref name="model"/>) to the model.</summary>
    public abstract void Apply(MethodCallExpression call, QueryModel model);

    /// <summary>The lambda of argument <paramref name="index"/>, unwrapped from its Quote.</summary>
    protected static LambdaExpression Lambda(MethodCallExpression call, int index)
    {
        var argument = call.Arguments[index];
        while (argument is UnaryExpression { NodeType: ExpressionType.Quote } quote) argument = quote.Operand;
        return argument as LambdaExpression ?? throw Unsupported.Operator(call, "Pass a lambda expression, not a delegate.");
    }

    /// <summary>The value of a Skip / Take / AsOf argument.</summary>
    protected static object? ValueOf(MethodCallExpression call, int index) => call.Arguments[index] switch
    {
        ConstantExpression c => c.Value,
        CapturedValueExpression v => v.Value,
        _ => throw Unsupported.Operator(call, "Pass a value (a literal or a variable), not an expression over the rows."),
    };

    /// <summary>Refuses an operator that would filter or sort rows after Skip / Take (StemeQL has no subqueries).</summary>
    protected static void RequireNotPaged(MethodCallExpression call, QueryModel model, string what)
    {
        if (model.IsPaged)
            throw Unsupported.Operator(call, $"StemeQL applies {what} before LIMIT / OFFSET: move this {call.Method.Name} before Skip / Take.");
    }

    /// <summary>Refuses an overload that takes an IComparer / IEqualityComparer.</summary>
    protected static void RefuseComparer(MethodCallExpression call)
    {
        if (call.Method.GetParameters().Any(p => p.ParameterType.IsGenericType
            && p.ParameterType.GetGenericTypeDefinition() is var d && (d == typeof(IComparer<>) || d == typeof(IEqualityComparer<>))))
        {
            throw Unsupported.Operator(call, "StemeQL compares text by ordinal code units and values by their type; remove the comparer argument.");
        }
    }

    /// <summary>Adds a Where-style predicate (argument 1) as a filter.</summary>
    protected static void Filter(MethodCallExpression call, QueryModel model)
    {
        RequireNotPaged(call, model, "WHERE");
        model.AddFilter(model.Translator.Translate(model.Apply(Lambda(call, 1))));
    }

    /// <summary>
    /// The ORDER BY key of argument 1, or null for a constant key: it changes no order, and StemeQL
    /// would read an integer literal as a select-list ordinal.
    /// </summary>
    protected static Planner.Syntax.Expression? SortKey(MethodCallExpression call, QueryModel model)
    {
        var key = model.Translator.Translate(model.Apply(Lambda(call, 1)));
        return key is Planner.Syntax.LiteralExpression or Planner.Syntax.ParameterExpression ? null : key;
    }

    /// <summary>Caps LIMIT at <paramref name="rows"/>.</summary>
    protected static void CapLimit(QueryModel model, long rows) => model.Limit = Math.Min(model.Limit ?? long.MaxValue, rows);
}
