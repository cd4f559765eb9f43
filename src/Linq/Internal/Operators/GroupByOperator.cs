using System.Linq.Expressions;

namespace StemeQL.Linq;

/// <summary>
/// <c>GroupBy(x =&gt; key[, x =&gt; element][, (key, g) =&gt; result])</c> → <c>GROUP BY</c> the key (each
/// member of an anonymous key). The query then yields groups, which a Select turns into keys and aggregates.
/// </summary>
internal sealed class GroupByOperator : QueryOperator
{
    public override void Apply(MethodCallExpression call, QueryModel model)
    {
        RefuseComparer(call);
        RequireNotPaged(call, model, "GROUP BY");
        if (model.IsGrouped || model.Distinct) throw Unsupported.Operator(call, "StemeQL groups once, before DISTINCT: use one GroupBy, before Distinct().");
        if (model.OrderBy.Count > 0) throw Unsupported.Operator(call, "Sort the groups instead: move the OrderBy after GroupBy(...).Select(...).");
        var parameters = call.Method.GetParameters();
        var key = model.Apply(Lambda(call, 1));
        var element = model.Element;
        int next = 2;
        if (parameters.Length > next && Lambda(call, next).Parameters.Count == 1) element = model.Apply(Lambda(call, next++));
        foreach (var part in KeyParts(key))
        {
            // A constant key (GroupBy(a => 1), one group over everything) goes as a parameter: an integer
            // literal in GROUP BY would be read as a select-list ordinal.
            var translated = model.Translator.Translate(part);
            model.GroupBy.Add(translated is Planner.Syntax.LiteralExpression literal ? model.Parameter(literal.Value.ToClr()) : translated);
        }
        var groupingType = typeof(IGrouping<,>).MakeGenericType(key.Type, element.Type);
        var grouping = new GroupingExpression(key, element, groupingType);
        model.IsGrouped = true;
        if (parameters.Length > next)
        {
            var result = Lambda(call, next);
            model.Element = ElementSubstitution.Substitute(result.Body,
                new Dictionary<ParameterExpression, Expression> { [result.Parameters[0]] = key, [result.Parameters[1]] = grouping });
        }
        else
        {
            model.Element = grouping;
        }
    }

    private static IEnumerable<Expression> KeyParts(Expression key) => key switch
    {
        NewExpression n when n.Arguments.Count > 0 => n.Arguments.SelectMany(KeyParts),
        MemberInitExpression init => init.Bindings.OfType<MemberAssignment>().SelectMany(b => KeyParts(b.Expression)),
        _ => [key],
    };
}
