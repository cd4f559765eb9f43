using StemeQL.Planner.Plans;
using StemeQL.Planner.Syntax;

namespace StemeQL.Planner.Execution;

/// <summary>A parsed and planned statement, ready to run with any parameter values.</summary>
public abstract record PreparedStatement(Statement Syntax)
{
    /// <summary>True for statements that write.</summary>
    public bool Writes => this is PreparedWrite;
}

/// <summary>An ASSERT or VOTE.</summary>
public sealed record PreparedWrite(Statement Syntax) : PreparedStatement(Syntax);

/// <summary>A SELECT with its plan.</summary>
public sealed record PreparedQuery(SelectStatement Select, QueryPlanHandle Plan) : PreparedStatement(Select);

/// <summary>An EXPLAIN with the plan it describes.</summary>
public sealed record PreparedExplain(ExplainStatement Explain, QueryPlanHandle Plan) : PreparedStatement(Explain);

/// <summary>An opaque handle on a query plan (plans are internal to the planner).</summary>
public sealed class QueryPlanHandle
{
    internal QueryPlanHandle(QueryPlan plan) => Plan = plan;

    internal QueryPlan Plan { get; }

    /// <summary>The access path the plan uses.</summary>
    public AccessPath Access => Plan.Access;

    /// <summary>The operators of the stages after the access path, in the order rows flow through them.</summary>
    public IReadOnlyList<string> Stages => [.. Plan.Stages.Select(s => s.Operator)];
}
