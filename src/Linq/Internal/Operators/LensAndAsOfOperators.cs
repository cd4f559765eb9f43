using System.Linq.Expressions;
using StemeQL.Planner.Syntax;

namespace StemeQL.Linq;

/// <summary><c>UsingLens(lens)</c> → <c>USING LENS name</c>; it must come straight after <c>Assertions()</c>.</summary>
internal sealed class UsingLensOperator : QueryOperator
{
    public override void Apply(MethodCallExpression call, QueryModel model)
    {
        if (model.HasOperators || model.Lens is not null)
            throw Unsupported.Operator(call, "A lens decides which rows exist: call UsingLens once, right after connection.Assertions().");
        if (ValueOf(call, 1) is not Lens lens) throw Unsupported.Operator(call, "Pass a Lens, such as Lens.Consensus.");
        model.Lens = new LensClause(lens.Name, SyntaxList<LensOption>.Empty);
    }
}

/// <summary><c>AsOf(lsn)</c> → <c>AS OF LSN @p</c>; <c>AsOf(DateTimeOffset)</c> → <c>AS OF TIMESTAMP @p</c>.</summary>
internal sealed class AsOfOperator : QueryOperator
{
    public override void Apply(MethodCallExpression call, QueryModel model)
    {
        if (model.HasOperators || model.AsOf is not null)
            throw Unsupported.Operator(call, "AS OF decides which history is read: call AsOf once, right after connection.Assertions() / Votes() (and UsingLens).");
        if (call.Arguments[1] is CapturedValueExpression captured)
        {
            // Only the value's type is read, so a cached translation serves every LSN or time.
            model.AsOf = captured.Observe(static v => v?.GetType()) switch
            {
                var t when t == typeof(long) => new AsOfClause(AsOfKind.Lsn, model.Parameter(captured)),
                var t when t == typeof(DateTimeOffset) => new AsOfClause(AsOfKind.Timestamp, model.Parameter(captured, static v => ((DateTimeOffset)v!).UtcDateTime)),
                _ => throw NotLsnOrTime(call),
            };
            return;
        }
        model.AsOf = ValueOf(call, 1) switch
        {
            long lsn => new AsOfClause(AsOfKind.Lsn, model.Parameter(lsn)),
            DateTimeOffset time => new AsOfClause(AsOfKind.Timestamp, model.Parameter(time.UtcDateTime)),
            _ => throw NotLsnOrTime(call),
        };
    }

    private static NotSupportedException NotLsnOrTime(MethodCallExpression call) => Unsupported.Operator(call, "Pass an LSN (long) or a DateTimeOffset.");
}
