using StemeQL.Planner.Binding;
using StemeQL.Planner.Binding.Bound;
using StemeQL.Planner.Execution.Stages;
using StemeQL.Planner.Syntax;
using StemeQL.Storage.Abstractions;

namespace StemeQL.Planner.Plans;

/// <summary>
/// The one recipe from a SELECT to its plan: bind it, find the keys the filter pins, cost every access
/// path that can answer it and keep the cheapest (recording why), then lay out the stages that follow:
/// filter, aggregate, having, project, distinct, sort (top-k under a LIMIT), limit.
/// </summary>
internal static class QueryPlanner
{
    /// <summary>Plans <paramref name="select"/> against <paramref name="store"/>'s views and statistics.</summary>
    public static QueryPlan Plan(SelectStatement select, IEpistemeStore store)
    {
        var query = SelectBinder.Bind(select);
        var pins = AccessPins.Find(select, query);
        var candidates = AccessCandidates.For(query, pins, store);
        var plan = Plan(select, query, pins, candidates);
        // A read in an index order keeps the plan that sorts, costed the same way, for rows whose text the index orders
        // otherwise than ORDER BY does (see OrderedRead).
        return plan.ReadOrder is null ? plan
            : plan with { Unordered = Plan(select, query, pins, [.. candidates.Where(c => c.Order is null)]) };
    }

    private static QueryPlan Plan(SelectStatement select, BoundSelect query, AccessPins pins, IReadOnlyList<AccessCandidate> candidates)
    {
        var best = candidates.MinBy(c => c.Cost)!;
        string reason = candidates.Count == 1
            ? best.Reason
            : $"{best.Reason}; chosen over {string.Join(", ", candidates.Where(c => c != best).Select(c => $"{c.Path} (cost {c.Cost:0.#}: {c.Reason})"))}";
        bool view = best.Path == AccessPath.MaterializedViewLookup;
        bool followsLsn = best.Path == AccessPath.LedgerScan && FollowsLsnOrder(select, query);
        // Under a lens the object and the LSN are the winner's: only the view, which stores winners, can seek on
        // them; a lens scan reads every candidate and picks the winners itself.
        bool lensScan = best.Path == AccessPath.LensScan;
        bool seekAppliesFilter = pins.CoverWhere(select.Where, includeObject: view, includeLsn: !lensScan);
        var seek = view ? pins : pins with { Object = null, Lsn = lensScan ? null : pins.Lsn };
        var stages = Stages(select, query, best.Path, followsLsn || best.Order is not null, seekAppliesFilter);
        return new QueryPlan(query, best.Path, reason, best.Rows, seek, stages)
        {
            OneSetLookup = QueryPlan.IsOneSetLookup(best.Path, seekAppliesFilter, seek, stages),
            FollowsLsnOrder = followsLsn,
            IndexOrder = best.Order,
            SeekAppliesFilter = seekAppliesFilter,
            InPlaceColumns = best.Path == AccessPath.LedgerScan && query.Relation == Relation.Assertions && seekAppliesFilter
                && (query.Order.Count == 0 || followsLsn) ? ReturnedColumns(query) : null,
        };
    }

    // The input column of each result column when the select list names plain columns of the rows as they are
    // (no grouping, DISTINCT or HAVING); null otherwise.
    private static int[]? ReturnedColumns(BoundSelect query) =>
        query.Grouping is null && query.Having is null && !query.Distinct && query.Projection.All(p => p is ColumnScalar)
            ? [.. query.Projection.Select(p => ((ColumnScalar)p).Ordinal)]
            : null;

    // ORDER BY lsn [DESC] alone, over ledger rows as they are (no grouping, no DISTINCT, no alias named lsn).
    private static bool FollowsLsnOrder(SelectStatement select, BoundSelect query) =>
        query.Grouping is null && !query.Distinct && select.OrderBy.Count == 1
        && select.OrderBy[0].Expression is ColumnExpression { Name: var name }
        && name.Equals("lsn", StringComparison.OrdinalIgnoreCase)
        && !(select.Columns ?? SyntaxList<SelectItem>.Empty).Any(c => string.Equals(c.Alias, "lsn", StringComparison.OrdinalIgnoreCase));

    private static List<QueryStage> Stages(SelectStatement select, BoundSelect query, AccessPath access, bool readsInOrder, bool seekAppliesFilter)
    {
        var stages = new List<QueryStage>();
        bool counted = access is AccessPath.CountPushdown or AccessPath.GroupedCountPushdown;
        // A WHERE made only of pins the seek applies exactly (subject = @s AND predicate = @p) has nothing left to filter.
        if (query.Filter is not null && !counted && !seekAppliesFilter) stages.Add(new FilterStage(query.Filter, query.Where!));
        if (query.Grouping is { } grouping && !counted) stages.Add(new AggregateStage(grouping));
        if (query.Having is not null) stages.Add(new FilterStage(query.Having, select.Having!, "Having"));
        // The ledger's own LSN order answers ORDER BY lsn, and an index order the ORDER BY it holds: nothing to sort, so no sort keys to carry.
        bool sorts = query.Order.Count > 0 && !readsInOrder;   // as QueryPlan.Sorts
        stages.Add(new ProjectStage(query.Projection, sorts ? query.Order : [], string.Join(", ", query.Columns.Select(c => c.Name))));
        if (query.Distinct) stages.Add(new DistinctStage(query.Columns.Count));
        if (sorts) stages.Add(new SortStage(query.Columns.Count, query.Order));
        if (query.Limit is not null || query.Offset is not null)
            stages.Add(new LimitStage($"LIMIT {Print(query.Limit) ?? "ALL"} OFFSET {Print(query.Offset) ?? "0"}"));
        return stages;
    }

    private static string? Print(Expression? e) => e is null ? null : SyntaxPrinter.Print(e);
}
