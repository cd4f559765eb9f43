using StemeQL.Planner.Binding;
using StemeQL.Planner.Syntax;
using StemeQL.Storage.Abstractions;

namespace StemeQL.Planner.Plans;

/// <summary>An access path that can answer a query, with the rows it is expected to read and its cost.</summary>
internal sealed record AccessCandidate(AccessPath Path, double Rows, double Cost, string Reason);

/// <summary>
/// The catalogue of access paths: for a bound query, every path that can answer it, each costed from
/// the store's statistics. Costs count rows touched; a lens scan also reads the votes and sorts the
/// candidate sets. Key values are parameters bound only at execution, so a pinned key is costed by
/// the number of values pinned, not by which values they are.
/// </summary>
internal static class AccessCandidates
{
    // Until the store keeps per-key statistics: a subject has a few predicates, a predicate many subjects.
    private const double PredicatesPerSubject = 4;
    private const double SubjectShareOfPredicate = 0.1;

    public static IReadOnlyList<AccessCandidate> For(BoundSelect query, KeyPin? subject, KeyPin? predicate, KeyPin? assertion, IEpistemeStore store)
    {
        if (query.Relation is null) return [new(AccessPath.SingleRow, 1, 1, "no FROM: one row")];
        if (query.Relation == Relation.Status) return [new(AccessPath.StatusRead, 1, 1, "the status of the write path")];
        if (query.Relation == Relation.Check)
            return [new(AccessPath.IntegrityCheck, store.LastLsn, store.LastLsn, "verifies every stored hash, vote target, view row and journal frame")];
        double total = Math.Max(1, store.CountAssertions(KeyFilter.All));
        if (query.Relation == Relation.Votes)
        {
            double votes = Math.Max(1, store.LastLsn - total);
            return [assertion is null
                ? new(AccessPath.LedgerScan, votes, votes, "no assertion pinned: every vote is read")
                : new(AccessPath.LedgerScan, assertion.Values.Count * 4, assertion.Values.Count * 4, $"seek on {assertion}")];
        }

        double matching = Matching(subject, predicate, total);
        if (query.Lens is null)
        {
            var ledger = new AccessCandidate(AccessPath.LedgerScan, matching, matching,
                subject is null && predicate is null ? "no lens: every row of the ledger is read" : "no lens: the ledger is read by the pinned keys");
            return CountOnly(query, subject, predicate) && query.AsOf is null
                ? [new(AccessPath.CountPushdown, 1, 0, "count(*) over pinned keys is answered by the store's counts, without reading rows"), ledger]
                : [ledger];
        }

        var list = new List<AccessCandidate>
        {
            // The scan reads the matching assertions, their votes (about as many again) and sorts the sets.
            new(AccessPath.LensScan, matching, 2 * matching + matching * Math.Log2(Math.Max(2, matching)) / 8,
                query.AsOf is not null ? "AS OF reads history, which the materialized view does not keep" : $"evaluates lens {query.Lens.Name} over the candidates"),
        };
        if (store.MaterializedLenses.Contains(query.Lens.Name) && query.AsOf is null)
        {
            // A view row stands for a whole candidate set: never more rows than the assertions behind them.
            double sets = Math.Min(matching, subject is not null
                ? subject.Values.Count * (predicate?.Values.Count ?? PredicatesPerSubject)
                : Math.Max(1, matching / 2));
            string why = subject is not null ? "the filter pins the subject"
                : predicate is not null ? "the filter pins the predicate"
                : "the view holds one row per (subject, predicate)";
            list.Add(new(AccessPath.MaterializedViewLookup, sets, sets, $"lens {query.Lens.Name} is materialized and {why}"));
        }
        else if (query.AsOf is null)
        {
            list[0] = list[0] with { Reason = $"lens {query.Lens.Name} is not materialized by this store" };
        }
        return list;
    }

    private static double Matching(KeyPin? subject, KeyPin? predicate, double total)
    {
        if (subject is not null)
            return Math.Min(total, subject.Values.Count * (predicate is null ? PredicatesPerSubject : predicate.Values.Count));
        if (predicate is not null) return Math.Max(1, Math.Min(total, predicate.Values.Count * total * SubjectShareOfPredicate));
        return total;
    }

    // count(*) alone, no grouping, and a WHERE made only of subject / predicate pins (the seek applies it).
    private static bool CountOnly(BoundSelect query, KeyPin? subject, KeyPin? predicate) =>
        query.Grouping is { Keys.Count: 0 } grouping
        && grouping.Aggregates.Count > 0
        && grouping.Aggregates.All(a => a.Argument is null && !a.Distinct)
        && ExpressionWalker.Conjuncts(query.Where) is var conjuncts
        && conjuncts.Count(c => KeyPin.IsPin(c, "subject")) <= 1
        && conjuncts.Count(c => KeyPin.IsPin(c, "predicate")) <= 1
        && conjuncts.All(c => KeyPin.IsPin(c, "subject") || KeyPin.IsPin(c, "predicate"));
}
