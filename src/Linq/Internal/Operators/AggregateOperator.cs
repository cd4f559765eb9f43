using System.Linq.Expressions;

namespace StemeQL.Linq;

/// <summary><c>Sum</c> / <c>Average</c> / <c>Min</c> / <c>Max</c>([selector]) → <c>SELECT sum(x)</c>, <c>avg(x)</c>, <c>min(x)</c>, <c>max(x)</c>.</summary>
internal sealed class AggregateOperator(string function) : QueryOperator
{
    public override void Apply(MethodCallExpression call, QueryModel model)
    {
        RefuseComparer(call);
        if (model.IsPaged || model.Distinct || model.IsGrouped)
            throw Unsupported.Operator(call, "StemeQL aggregates the filtered rows, before LIMIT, DISTINCT and grouping: aggregate before Skip / Take / Distinct, or per group with GroupBy(...).Select(g => g.Sum(...)).");
        var value = call.Arguments.Count == 2 ? model.Apply(Lambda(call, 1)) : model.Element;
        if (value is ParameterExpression or GroupingExpression)
            throw Unsupported.Operator(call, "Aggregate a column: pass a selector, for example Max(a => a.Lsn).");
        model.SetScalar(ExpressionTranslator.Function(function, model.Translator.Translate(value)), call.Method.ReturnType);
        model.Result = new ScalarResult(function, call.Method.ReturnType);
    }
}
