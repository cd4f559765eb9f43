using System.Linq.Expressions;
using StemeQL.Planner.Syntax;

namespace StemeQL.Linq;

/// <summary>
/// <c>Count([condition])</c> / <c>LongCount</c> → <c>SELECT count(*)</c>. After Skip / Take, Distinct or
/// GroupBy, where count(*) would count something else, the translated query's rows are counted as they stream.
/// </summary>
internal sealed class CountOperator(bool isLong) : QueryOperator
{
    public override void Apply(MethodCallExpression call, QueryModel model)
    {
        if (call.Arguments.Count == 2) Filter(call, model);
        if (model.IsPaged || model.Distinct || model.IsGrouped)
        {
            if (!model.Distinct) model.SetScalar(new LiteralExpression(Core.Model.StemeValue.Integer(1)), typeof(long));
            model.Result = new CountRowsResult(isLong);
            return;
        }
        model.SetScalar(new FunctionCallExpression("count", SyntaxList<Planner.Syntax.Expression>.Empty, Star: true), call.Method.ReturnType);
        model.Result = new ScalarResult("count", call.Method.ReturnType);
    }
}
