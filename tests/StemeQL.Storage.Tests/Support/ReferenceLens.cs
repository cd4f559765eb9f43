using StemeQL.Core.Lenses;
using StemeQL.Core.Model;
using StemeQL.Storage.Abstractions;

namespace StemeQL.Storage.Tests.Support;

/// <summary>The O(N) evaluation the materialized views must equal: scan the set and its votes, resolve with the Core lens.</summary>
internal static class ReferenceLens
{
    public static ViewRow? Evaluate(IEpistemeStore store, ILens lens, string subject, string predicate, long maxLsn = long.MaxValue)
    {
        var keys = new KeyFilter([subject], [predicate]);
        var set = store.ScanAssertions(keys, maxLsn).ToList();
        if (set.Count == 0) return null;
        var votes = CurrentVotes.SupportByAssertion(store.ScanVotesOn(keys, maxLsn)
            .Select(v => new VoteRecord(v.Assertion, v.Agent, v.Weight, v.Lsn)));
        var candidates = set.Select(s => new LensCandidate(s.Assertion.Hash, s.Assertion.Object, s.Lsn,
            Weights.ToUnits(s.Assertion.Confidence) + votes.GetValueOrDefault(s.Assertion.Hash))).ToList();
        var resolution = lens.Resolve(candidates);
        return new ViewRow(set.Single(s => s.Assertion.Hash == resolution.Winner.Hash),
            resolution.SupportUnits, resolution.TotalUnits, resolution.Candidates);
    }

    /// <summary>The definition of a lens the store materializes: a Core lens, or one the tests define.</summary>
    public static ILens Definition(string name) =>
        LensNames.Available.TryGetValue(name, out var lens) ? lens
        : name == EarliestLens.Instance.Name ? EarliestLens.Instance
        : throw new ArgumentException($"No definition of the lens '{name}'.", nameof(name));

    /// <summary>Asserts that the view row of every listed set equals the reference, for every lens the store materializes.</summary>
    public static void AssertViewsMatch(IEpistemeStore store, IEnumerable<(string Subject, string Predicate)> sets, string context)
    {
        Xunit.Assert.NotEmpty(store.MaterializedLenses);
        var keys = sets.ToList();
        foreach (var lens in store.MaterializedLenses.Select(Definition))
        {
            foreach (var (subject, predicate) in keys)
            {
                var expected = Evaluate(store, lens, subject, predicate);
                var actual = store.LookupView(lens.Name, new KeyFilter([subject], [predicate])).ToList();
                string where = $"{context}, {lens.Name} of ({subject}, {predicate})";
                if (expected is null)
                {
                    Xunit.Assert.True(actual.Count == 0, $"{where}: the view has a row for an empty set");
                    continue;
                }
                var row = Xunit.Assert.Single(actual);
                Xunit.Assert.True(expected.Winner.Assertion.Hash == row.Winner.Assertion.Hash,
                    $"{where}: winner LSN {row.Winner.Lsn}, expected LSN {expected.Winner.Lsn}");
                Xunit.Assert.True(expected.Winner.Lsn == row.Winner.Lsn, $"{where}: winner LSN");
                Xunit.Assert.True(expected.SupportUnits == row.SupportUnits, $"{where}: support {row.SupportUnits}, expected {expected.SupportUnits}");
                Xunit.Assert.True(expected.TotalUnits == row.TotalUnits, $"{where}: total {row.TotalUnits}, expected {expected.TotalUnits}");
                Xunit.Assert.True(expected.Candidates == row.Candidates, $"{where}: candidates {row.Candidates}, expected {expected.Candidates}");
            }
        }
    }
}
