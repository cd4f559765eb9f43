using System.Linq.Expressions;

namespace StemeQL.Linq;

/// <summary><c>First</c> / <c>FirstOrDefault</c> (<c>LIMIT 1</c>) and <c>Single</c> / <c>SingleOrDefault</c> (<c>LIMIT 2</c>, to see a second row).</summary>
internal sealed class ElementOperator(bool single, bool orDefault) : QueryOperator
{
    public override void Apply(MethodCallExpression call, QueryModel model)
    {
        if (call.Arguments.Count == 2)
        {
            if (call.Arguments[1].Type == call.Method.ReturnType)
                throw Unsupported.Operator(call, "The overload with a default value has no StemeQL form: use FirstOrDefault() ?? value.");
            Filter(call, model);
        }
        CapLimit(model, single ? 2 : 1);
        model.Result = new ElementResult(single, orDefault, call.Method.ReturnType);
    }
}

/// <summary><c>Any([condition])</c> → <c>SELECT 1 ... LIMIT 1</c>: true when a row comes back.</summary>
internal sealed class AnyOperator : QueryOperator
{
    public override void Apply(MethodCallExpression call, QueryModel model)
    {
        if (call.Arguments.Count == 2) Filter(call, model);
        if (!model.Distinct) model.SetScalar(new Planner.Syntax.LiteralExpression(Core.Model.StemeValue.Integer(1)), typeof(long));
        CapLimit(model, 1);
        model.Result = new ExistsResult(negate: false);
    }
}

/// <summary>
/// <c>All(condition)</c> → <c>SELECT 1 ... WHERE CASE WHEN condition THEN FALSE ELSE TRUE END LIMIT 1</c>:
/// true when no row fails it (the CASE counts an unknown condition as failed, as C# counts false).
/// </summary>
internal sealed class AllOperator : QueryOperator
{
    public override void Apply(MethodCallExpression call, QueryModel model)
    {
        RequireNotPaged(call, model, "WHERE");
        var condition = model.Translator.Translate(model.Apply(Lambda(call, 1)));
        var fails = new Planner.Syntax.CaseExpression(null,
            Planner.Syntax.SyntaxList.Of(new Planner.Syntax.WhenClause(condition, model.Translator.Literal(false))), model.Translator.Literal(true));
        model.AddFilter(fails);
        if (!model.Distinct) model.SetScalar(new Planner.Syntax.LiteralExpression(Core.Model.StemeValue.Integer(1)), typeof(long));
        CapLimit(model, 1);
        model.Result = new ExistsResult(negate: true);
    }
}
