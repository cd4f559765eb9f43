using System.Linq.Expressions;
using StemeQL.Planner.Syntax;

namespace StemeQL.Linq;

/// <summary>
/// <c>OrderBy</c> / <c>OrderByDescending</c> → the first ORDER BY key. An earlier ordering stays as the
/// tie-breaker, as LINQ's stable sort keeps it.
/// </summary>
internal sealed class OrderByOperator(bool descending) : QueryOperator
{
    public override void Apply(MethodCallExpression call, QueryModel model)
    {
        RefuseComparer(call);
        RequireNotPaged(call, model, "ORDER BY");
        if (SortKey(call, model) is { } key) model.OrderBy.Insert(0, new OrderItem(key, descending));
    }
}

/// <summary><c>ThenBy</c> / <c>ThenByDescending</c> → a further ORDER BY key.</summary>
internal sealed class ThenByOperator(bool descending) : QueryOperator
{
    public override void Apply(MethodCallExpression call, QueryModel model)
    {
        RefuseComparer(call);
        RequireNotPaged(call, model, "ORDER BY");
        if (SortKey(call, model) is { } key) model.OrderBy.Add(new OrderItem(key, descending));
    }
}
