using StemeQL.Core.Lenses;
using StemeQL.Planner.Binding;
using StemeQL.Planner.Execution.Stages;
using StemeQL.Planner.Syntax;

namespace StemeQL.Planner.Plans;

/// <summary>
/// A planned SELECT: the bound query, the access path chosen for it with its estimated cost and the
/// reason, the keys it seeks on, and the stages that follow. Parameter values are bound at execution,
/// so one plan serves every execution of a prepared command.
/// </summary>
internal sealed record QueryPlan(
    BoundSelect Query,
    AccessPath Access,
    string Reason,
    double EstimatedRows,
    KeyPin? Subject,
    KeyPin? Predicate,
    KeyPin? AssertionKey,
    IReadOnlyList<QueryStage> Stages)
{
    /// <summary>The relation read, or null for a SELECT without FROM.</summary>
    public Relation? Relation => Query.Relation;

    /// <summary>The lens, if any.</summary>
    public ILens? Lens => Query.Lens;

    /// <summary>The AS OF clause, if any.</summary>
    public AsOfClause? AsOf => Query.AsOf;

    /// <summary>The result columns.</summary>
    public IReadOnlyList<ResultColumn> Columns => Query.Columns;

    /// <summary>Where the keys pinned by the filter are described for EXPLAIN.</summary>
    public string KeyDescription =>
        string.Join(", ", new object?[] { Subject, Predicate, AssertionKey }.OfType<KeyPin>()) is { Length: > 0 } keys
            ? keys
            : "no pinned keys";
}
