using StemeQL.Core.Lenses;
using StemeQL.Planner.Binding;
using StemeQL.Planner.Execution.Stages;
using StemeQL.Planner.Syntax;

namespace StemeQL.Planner.Plans;

/// <summary>
/// A planned SELECT: the bound query, the access path chosen for it with its estimated cost and the
/// reason, the keys it seeks on (<see cref="Pins"/>), and the stages that follow. Parameter values are bound at execution,
/// so one plan serves every execution of a prepared command.
/// </summary>
internal sealed record QueryPlan(
    BoundSelect Query,
    AccessPath Access,
    string Reason,
    double EstimatedRows,
    AccessPins Pins,
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

    /// <summary>
    /// True when ORDER BY is the LSN alone on a ledger read: the store returns rows in that order
    /// (newest first for DESC), so nothing is sorted.
    /// </summary>
    public bool FollowsLsnOrder { get; init; }

    /// <summary>
    /// The index order the store returns the rows in when it holds the ORDER BY (on subject, predicate, and on the ledger the
    /// LSN), so nothing is sorted and the read stops early; null otherwise. See <see cref="Unordered"/>.
    /// </summary>
    public IndexOrder? IndexOrder { get; init; }

    /// <summary>The keys of <see cref="IndexOrder"/> for the store (<c>KeyFilter.OrderBy</c>), or null.</summary>
    public IReadOnlyList<Storage.Abstractions.OrderKey>? ReadOrder => IndexOrder?.Keys;

    /// <summary>
    /// With an <see cref="IndexOrder"/>: the plan that reads the same rows in their natural order and sorts them, which runs
    /// instead when the index turns out to order the rows read otherwise than ORDER BY (see <c>OrderedRead</c>).
    /// </summary>
    public QueryPlan? Unordered { get; init; }

    /// <summary>True when the seek applies the whole WHERE, so a read in LSN or index order can stop after OFFSET + LIMIT rows.</summary>
    public bool SeekAppliesFilter { get; init; }

    /// <summary>
    /// True when the result is ledger rows as the store returns them, cut to some of their columns: the seek applies
    /// the whole WHERE, the order (if any) is the ledger's, nothing groups, and the select list names plain columns.
    /// The rows then stream from the store's statement to the reader, which decodes a value only when it is read
    /// (see <see cref="Execution.InPlaceRows"/>); EXPLAIN ANALYZE still runs the stages one by one.
    /// </summary>
    public bool ReadsInPlace => InPlaceColumns is not null;

    /// <summary>When <see cref="ReadsInPlace"/>, the <c>assertions</c> column each result column returns; null otherwise.</summary>
    public int[]? InPlaceColumns { get; init; }

    /// <summary>
    /// True when the plan reads one set's view row and only projects it: a materialized view lookup whose WHERE is
    /// exactly <c>subject = v AND predicate = v</c> (one value each), with no grouping, DISTINCT, ORDER BY, LIMIT or
    /// OFFSET. The executor then asks the store for that row alone (<c>IEpistemeStore.TryLookupViewRow</c>) and fills
    /// the result row from its values; EXPLAIN ANALYZE still runs the general path, stage by stage.
    /// </summary>
    public bool OneSetLookup { get; init; }

    /// <summary>Whether a plan with these parts is a <see cref="OneSetLookup"/> (decided once, when planned).</summary>
    public static bool IsOneSetLookup(AccessPath access, bool seekAppliesFilter, AccessPins pins, IReadOnlyList<QueryStage> stages) =>
        access == AccessPath.MaterializedViewLookup && seekAppliesFilter && stages is [ProjectStage]
        && pins is { Subject.Values.Count: 1, Predicate.Values.Count: 1, Object: null, Hash: null, Agent: null, Assertion: null, Lsn: null };

    /// <summary>
    /// A bit per input column ordinal the query evaluates (see <see cref="ColumnUse"/>): every clause's,
    /// and WHERE's only when a Filter stage runs it (a seek that applies the whole WHERE never does).
    /// The source leaves the other columns empty.
    /// </summary>
    public ulong ColumnsRead => Query.ReadColumns | (SeekAppliesFilter ? 0 : Query.FilterColumns);

    /// <summary>True when the query evaluates the column at <paramref name="ordinal"/>.</summary>
    public bool Reads(int ordinal) => (ColumnsRead & ColumnUse.ColumnBit(ordinal)) != 0;

    /// <summary>True when a Sort stage runs: the projected rows then carry the sort keys after the select list, dropped at the end.</summary>
    public bool Sorts => Query.Order.Count > 0 && !FollowsLsnOrder && IndexOrder is null;

    /// <summary>Where the keys pinned by the filter are described for EXPLAIN.</summary>
    public string KeyDescription =>
        string.Join(", ", Pins.All) is { Length: > 0 } keys
            ? keys
            : "no pinned keys";
}
