using System.Linq.Expressions;

namespace StemeQL.Linq;

/// <summary><c>Take(n)</c> → <c>LIMIT @p</c> (a parameter, so every page size shares one plan).</summary>
internal sealed class TakeOperator : QueryOperator
{
    public override void Apply(MethodCallExpression call, QueryModel model)
    {
        if (ValueOf(call, 1) is not int count) throw Unsupported.Operator(call, "Use Take(int); Take(Range) has no StemeQL form.");
        CapLimit(model, Math.Max(count, 0));
    }
}

/// <summary><c>Skip(n)</c> → <c>OFFSET @p</c>; a Skip after a Take shortens that Take, as in LINQ.</summary>
internal sealed class SkipOperator : QueryOperator
{
    public override void Apply(MethodCallExpression call, QueryModel model)
    {
        if (ValueOf(call, 1) is not int count) throw Unsupported.Operator(call, "Use Skip(int).");
        count = Math.Max(count, 0);
        model.Offset += count;
        if (model.Limit is long limit) model.Limit = Math.Max(0, limit - count);
    }
}
