using StemeQL.Core.Lenses;
using StemeQL.Planner.Binding;
using StemeQL.Planner.Syntax;

namespace StemeQL.Planner.Plans;

/// <summary>
/// A planned SELECT: the access path and why it was chosen, the keys it seeks on, and the stages
/// that follow (filter, sort, page, project). Parameter values are bound at execution, so one plan
/// serves every execution of a prepared command.
/// </summary>
internal sealed record QueryPlan(
    Relation Relation,
    ILens? Lens,
    AccessPath Access,
    string Reason,
    KeyPin? Subject,
    KeyPin? Predicate,
    KeyPin? AssertionKey,
    AsOfClause? AsOf,
    Expression? Where,
    SyntaxList<OrderItem> OrderBy,
    Expression? Limit,
    Expression? Offset,
    IReadOnlyList<int> Projection,
    IReadOnlyList<ResultColumn> Columns)
{
    /// <summary>The hashes a ledger read seeks (assertions only; null under a lens).</summary>
    public KeyPin? Hash { get; init; }

    /// <summary>The agents a ledger read seeks (who asserted, or who voted; null under a lens).</summary>
    public KeyPin? Agent { get; init; }

    /// <summary>
    /// True when the ORDER BY is the LSN alone on a ledger read: the store returns the rows in that order
    /// (newest first for DESC), so nothing is sorted, and with no filter left it stops after OFFSET + LIMIT rows.
    /// </summary>
    public bool FollowsLsnOrder => Access == AccessPath.LedgerScan && OrderBy.Count == 1
        && OrderBy[0].Expression is ColumnExpression { Name: var name } && name.Equals("lsn", StringComparison.OrdinalIgnoreCase);

    /// <summary>Where the keys pinned by the filter are described for EXPLAIN.</summary>
    public string KeyDescription =>
        string.Join(", ", new object?[] { Subject, Predicate, AssertionKey, Hash, Agent }.OfType<KeyPin>()) is { Length: > 0 } keys
            ? keys
            : "no pinned keys";
}
