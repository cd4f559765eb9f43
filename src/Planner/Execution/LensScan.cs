using StemeQL.Core.Lenses;
using StemeQL.Core.Model;
using StemeQL.Core.Text;
using StemeQL.Storage.Abstractions;

namespace StemeQL.Planner.Execution;

/// <summary>
/// O(N) lens evaluation: gathers the candidate sets matching the keys and the votes on them, folds the
/// votes into the ones that count, and resolves each set with the lens. It is also the reference the
/// materialized views are tested against.
/// </summary>
internal static class LensScan
{
    /// <summary>One row per (subject, predicate) set, ordered by subject then predicate.</summary>
    public static IEnumerable<ViewRow> Evaluate(IEpistemeStore store, ILens lens, KeyFilter keys, long maxLsn, CancellationToken cancellation)
    {
        var sets = new SortedDictionary<(string, string), List<StoredAssertion>>(SetKeyComparer.Instance);
        foreach (var stored in store.ScanAssertions(keys, maxLsn))
        {
            cancellation.ThrowIfCancellationRequested();
            var key = (stored.Assertion.Subject, stored.Assertion.Predicate);
            if (!sets.TryGetValue(key, out var set)) sets[key] = set = [];
            set.Add(stored);
        }
        var votes = CurrentVotes.SupportByAssertion(store.ScanVotesOn(keys, maxLsn)
            .Select(v => new VoteRecord(v.Assertion, v.Agent, v.Weight, v.Lsn)));

        foreach (var set in sets.Values)
        {
            cancellation.ThrowIfCancellationRequested();
            var byHash = set.ToDictionary(s => s.Assertion.Hash);
            var candidates = set.Select(s => new LensCandidate(s.Assertion.Hash, s.Assertion.Object, s.Lsn,
                Weights.ToUnits(s.Assertion.Confidence) + votes.GetValueOrDefault(s.Assertion.Hash))).ToList();
            var resolution = lens.Resolve(candidates);
            yield return new ViewRow(byHash[resolution.Winner.Hash], resolution.SupportUnits, resolution.TotalUnits, resolution.Candidates);
        }
    }

    private sealed class SetKeyComparer : IComparer<(string, string)>
    {
        public static readonly SetKeyComparer Instance = new();

        public int Compare((string, string) x, (string, string) y)
        {
            int c = CodePointComparer.CompareStrings(x.Item1, y.Item1);
            return c != 0 ? c : CodePointComparer.CompareStrings(x.Item2, y.Item2);
        }
    }
}
