using System.Linq.Expressions;

namespace StemeQL.Linq;

/// <summary>
/// What an aggregate inside a group runs over: <c>g</c>, <c>g.Select(x =&gt; v)</c> or
/// <c>g.Select(x =&gt; v).Distinct()</c>, as the values' expression over the row.
/// </summary>
internal readonly record struct GroupSource(Expression Element, bool Distinct)
{
    public static bool TryRead(Expression expression, out GroupSource source)
    {
        source = default;
        bool distinct = false;
        if (expression is MethodCallExpression { Method.Name: nameof(Enumerable.Distinct), Arguments.Count: 1 } d && d.Method.DeclaringType == typeof(Enumerable))
        {
            distinct = true;
            expression = d.Arguments[0];
        }
        switch (expression)
        {
            case GroupingExpression g:
                source = new GroupSource(g.Element, distinct);
                return true;
            case MethodCallExpression { Method.Name: nameof(Enumerable.Select), Arguments: [GroupingExpression g, LambdaExpression { Parameters.Count: 1 } selector] } s
                when s.Method.DeclaringType == typeof(Enumerable):
                var element = ElementSubstitution.Substitute(selector.Body, new Dictionary<ParameterExpression, Expression> { [selector.Parameters[0]] = g.Element });
                source = new GroupSource(element, distinct);
                return true;
            default:
                return false;
        }
    }
}
