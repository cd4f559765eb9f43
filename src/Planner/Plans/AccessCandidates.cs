using StemeQL.Planner.Binding;
using StemeQL.Planner.Binding.Bound;
using StemeQL.Storage.Abstractions;

namespace StemeQL.Planner.Plans;

/// <summary>
/// An access path that can answer a query, with the rows it is expected to read and its cost; <paramref name="Order"/> when it
/// reads them in the query's ORDER BY, walking an index, so nothing is sorted.
/// </summary>
internal sealed record AccessCandidate(AccessPath Path, double Rows, double Cost, string Reason, IndexOrder? Order = null);

/// <summary>
/// The catalogue of access paths: for a bound query, every path that can answer it, each costed from
/// the store's statistics. Costs count rows touched; a lens scan also reads the votes and sorts the
/// candidate sets. Key values are parameters bound only at execution, so a pinned key is costed by the
/// number of values pinned and the store's average rows per key, not by which values they are.
/// </summary>
internal static class AccessCandidates
{
    public static IReadOnlyList<AccessCandidate> For(BoundSelect query, AccessPins pins, IEpistemeStore store)
    {
        if (query.Relation is null) return [new(AccessPath.SingleRow, 1, 1, "no FROM: one row")];
        if (query.Relation == Relation.Status) return [new(AccessPath.StatusRead, 1, 1, "the status of the write path")];
        if (query.Relation == Relation.Check)
            return [new(AccessPath.IntegrityCheck, store.LastLsn, store.LastLsn, "verifies every stored hash, vote target, view row and journal frame")];

        var stats = new Sizes(store.Statistics);
        if (query.Relation == Relation.Agents)
        {
            double agents = pins.Agent?.Values.Count ?? stats.Agents;
            return [new(AccessPath.AgentSummary, agents, agents, pins.Agent is null
                ? "assertions and votes are counted per agent on the store's indexes, first and last LSN sought per agent"
                : "the pinned agents' assertions and votes are counted on the store's indexes, first and last LSN sought")];
        }
        var list = new List<AccessCandidate>();
        if (query.Relation == Relation.Votes)
        {
            double votes = pins.Assertion is not null ? pins.Assertion.Values.Count * stats.VotesPerAssertion
                : pins.Agent is not null ? pins.Agent.Values.Count * stats.VotesPerAgent
                : stats.Votes;
            list.Add(new(AccessPath.LedgerScan, votes, votes, pins.None ? "no key pinned: every vote is read" : "the votes are read by the pinned keys"));
        }
        else if (query.Lens is null)
        {
            double rows = stats.Matching(pins);
            list.Add(new(AccessPath.LedgerScan, rows, rows,
                !pins.None ? "no lens: the ledger is read by the pinned keys"
                : pins.Lsn is not null ? "no lens: the ledger's LSN range is read"
                : "no lens: every row of the ledger is read"));
            if (IndexOrder.For(query, pins, view: false) is { } order)
            {
                // The walk seeks on the subjects alone; other pins are checked on the index entries it passes.
                double range = stats.Matching(new AccessPins(pins.Subject, null, null, null, null, null));
                list.Insert(0, Ordered(AccessPath.LedgerScan, order, query, rows, range, pins.CoverWhere(query.Where, includeObject: false)));
            }
        }
        else
        {
            double matching = stats.Matching(pins with { Object = null });
            list.Add(new(AccessPath.LensScan, matching, 2 * matching + matching * Math.Log2(Math.Max(2, matching)) / 8,
                query.AsOf is not null ? "AS OF reads history, which the materialized view does not keep"
                : store.MaterializedLenses.Contains(query.Lens.Name) ? $"evaluates lens {query.Lens.Name} over the candidates"
                : $"lens {query.Lens.Name} is not materialized by this store"));
            if (store.MaterializedLenses.Contains(query.Lens.Name) && query.AsOf is null)
            {
                // A view row stands for a whole candidate set: never more rows than the assertions behind them.
                double sets = Math.Min(matching, stats.Sets(pins));
                string why = pins.Subject is not null ? "the filter pins the subject"
                    : pins.Object is not null ? "the filter pins the predicate and the object (a reverse lookup)"
                    : pins.Predicate is not null ? "the filter pins the predicate"
                    : "the view holds one row per (subject, predicate)";
                list.Add(new(AccessPath.MaterializedViewLookup, sets, sets, $"lens {query.Lens.Name} is materialized and {why}"));
                if (IndexOrder.For(query, pins, view: true) is { } order)
                {
                    // By one predicate the sets are sought in subject order; otherwise the walk seeks on the subjects alone.
                    var sought = pins.Predicate is { Values.Count: 1 } && pins.Subject is null
                        ? new AccessPins(null, pins.Predicate, null, null, null, null)
                        : new AccessPins(pins.Subject, null, null, null, null, null);
                    list.Insert(0, Ordered(AccessPath.MaterializedViewLookup, order, query, sets, Math.Max(sets, stats.Sets(sought)),
                        pins.CoverWhere(query.Where, includeObject: true)));
                }
            }
        }
        if (list.Any(c => c.Order is not null))
        {
            // (An index order is listed first, so it wins a tie: reading in order is never more work than sorting after.)
            // Weighed against an index order, a path that reads the rows in another order pays for the sort (a top-k under the LIMIT).
            for (int i = 0; i < list.Count; i++)
                if (list[i].Order is null) list[i] = list[i] with { Cost = list[i].Cost + IndexOrder.SortCost(query, list[i].Rows), Reason = list[i].Reason + ", then sorted" };
        }
        if (CountOnly(query, pins, store) && query.Grouping!.Keys.Count == 0)
            list.Insert(0, new(AccessPath.CountPushdown, 1, 0, "count(*) with only pinned keys is counted by the store, without reading rows"));
        else if (CountOnly(query, pins, store) && GroupColumnOf(query) is { } column)
        {
            // One row per key; the store reads its index on the column rather than the rows.
            double keys = Math.Max(1, query.Relation == Relation.Votes ? stats.Agents : stats.DistinctOf(column));
            list.Insert(0, new(AccessPath.GroupedCountPushdown, keys, keys,
                $"count(*) GROUP BY {column.ToString().ToLowerInvariant()} with only pinned keys is counted by the store per key, without reading rows"));
        }
        return list;
    }

    // A read in an index order: it stops after the rows the LIMIT (and OFFSET) take, those the filter keeps among them.
    private static AccessCandidate Ordered(AccessPath path, IndexOrder order, BoundSelect query, double matching, double range, bool seekAppliesFilter)
    {
        var (rows, cost) = IndexOrder.Estimate(query, matching, range, seekAppliesFilter);
        return new(path, rows, cost,
            $"the rows come in ORDER BY order ({order.Text}) from {order.Index}, so nothing is sorted and the read stops after OFFSET + LIMIT rows{(seekAppliesFilter ? "" : " pass the filter")}",
            order);
    }

    /// <summary>The store column a grouped count pushed down groups by: the one GROUP BY key, when it is a plain column the store counts by.</summary>
    public static GroupColumn? GroupColumnOf(BoundSelect query)
    {
        if (query.Grouping is not { Keys: [ColumnScalar key] } || query.Relation is not { } relation) return null;
        string name = relation.Columns[key.Ordinal].Name;
        if (relation == Relation.Votes) return name == "agent" ? GroupColumn.Agent : null;
        if (relation != Relation.Assertions) return null;
        return name switch
        {
            "subject" => GroupColumn.Subject,
            "predicate" => GroupColumn.Predicate,
            "agent" => GroupColumn.Agent,
            _ => null,
        };
    }

    // count(*) alone (per group, if grouped), no AS OF, a materialized view if there is a lens, and a WHERE the seek applies whole.
    private static bool CountOnly(BoundSelect query, AccessPins pins, IEpistemeStore store) =>
        query.Grouping is { } grouping
        && grouping.Aggregates.Count > 0
        && grouping.Aggregates.All(a => a.Argument is null && !a.Distinct)
        && query.AsOf is null
        && (query.Lens is null || store.MaterializedLenses.Contains(query.Lens.Name))
        && pins.CoverWhere(query.Where, includeObject: query.Lens is not null);

    /// <summary>Average rows per key, from the store's statistics (at least one of everything).</summary>
    private sealed class Sizes(StoreStatistics statistics)
    {
        private readonly double _assertions = Math.Max(1, statistics.Assertions);
        private readonly double _sets = Math.Max(1, statistics.Sets);
        private readonly double _subjects = Math.Max(1, statistics.DistinctSubjects);
        private readonly double _predicates = Math.Max(1, statistics.DistinctPredicates);
        private readonly double _agents = Math.Max(1, statistics.DistinctAgents);

        public double Votes { get; } = Math.Max(1, statistics.Votes);

        public double VotesPerAssertion => Votes / _assertions;

        public double VotesPerAgent => Votes / _agents;

        public double Agents => _agents;

        /// <summary>Distinct values of a grouping column in the ledger.</summary>
        public double DistinctOf(GroupColumn column) => column switch
        {
            GroupColumn.Subject => _subjects,
            GroupColumn.Predicate => _predicates,
            _ => _agents,
        };

        /// <summary>Ledger rows matching the pins, assuming keys are independent.</summary>
        public double Matching(AccessPins pins)
        {
            double rows = _assertions;
            if (pins.Hash is not null) rows = Math.Min(rows, pins.Hash.Values.Count);
            if (pins.Subject is not null) rows *= pins.Subject.Values.Count / _subjects;
            if (pins.Predicate is not null) rows *= pins.Predicate.Values.Count / _predicates;
            if (pins.Agent is not null) rows *= pins.Agent.Values.Count / _agents;
            return Math.Max(1, Math.Min(_assertions, rows));
        }

        /// <summary>View rows (candidate sets) matching the pins.</summary>
        public double Sets(AccessPins pins)
        {
            double sets = _sets;
            if (pins.Subject is not null) sets *= pins.Subject.Values.Count / _subjects;
            if (pins.Predicate is not null) sets *= pins.Predicate.Values.Count / _predicates;
            // Without value statistics: an object is assumed to be shared by a tenth of a predicate's sets.
            if (pins.Object is not null) sets *= Math.Min(1, pins.Object.Values.Count / 10.0);
            return Math.Max(1, sets);
        }
    }
}
