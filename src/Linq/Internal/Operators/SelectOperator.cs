using System.Linq.Expressions;

namespace StemeQL.Linq;

/// <summary><c>Select(x =&gt; projection)</c> → the select list (built when the query ends).</summary>
internal sealed class SelectOperator : QueryOperator
{
    public override void Apply(MethodCallExpression call, QueryModel model)
    {
        var selector = Lambda(call, 1);
        if (selector.Parameters.Count != 1) throw Unsupported.Operator(call, "The Select overload with an index has no StemeQL form: use Select(x => ...).");
        if (model.Distinct) throw Unsupported.Operator(call, "StemeQL applies DISTINCT to the final select list: move this Select before Distinct().");
        model.Element = model.Apply(selector);
    }
}
