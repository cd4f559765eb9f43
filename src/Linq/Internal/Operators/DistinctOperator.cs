using System.Linq.Expressions;

namespace StemeQL.Linq;

/// <summary><c>Distinct()</c> → <c>SELECT DISTINCT</c>.</summary>
internal sealed class DistinctOperator : QueryOperator
{
    public override void Apply(MethodCallExpression call, QueryModel model)
    {
        RefuseComparer(call);
        RequireNotPaged(call, model, "DISTINCT");
        // SELECT DISTINCT keeps the first row met and sorts afterwards; LINQ keeps the first in sorted order.
        if (model.OrderBy.Count > 0) throw Unsupported.Operator(call, "StemeQL sorts after DISTINCT: write Distinct() before OrderBy.");
        model.Distinct = true;
    }
}
