using System.Linq.Expressions;

namespace StemeQL.Linq;

/// <summary><c>Where(x =&gt; condition)</c> → <c>WHERE condition</c> (or <c>HAVING</c> after GroupBy).</summary>
internal sealed class WhereOperator : QueryOperator
{
    public override void Apply(MethodCallExpression call, QueryModel model)
    {
        if (Lambda(call, 1).Parameters.Count != 1) throw Unsupported.Operator(call, "The Where overload with an index has no StemeQL form: use Where(x => condition).");
        Filter(call, model);
    }
}
