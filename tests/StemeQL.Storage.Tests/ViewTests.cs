using StemeQL.Core.Lenses;
using StemeQL.Core.Model;
using StemeQL.Storage.Abstractions;
using StemeQL.Storage.Tests.Backends;
using StemeQL.Storage.Tests.Support;
using static StemeQL.Storage.Tests.Support.Writes;

namespace StemeQL.Storage.Tests;

public abstract class ViewTests(StoreBackend backend) : IDisposable
{
    private readonly IBackendStore _test = backend.Create();

    private IEpistemeStore Store => _test.Store;

    public void Dispose() => _test.Dispose();

    [Fact]
    public void MaterializedLenses_are_consensus_and_recency()
    {
        Assert.Equal([LensNames.Consensus, LensNames.Recency], Store.MaterializedLenses.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void LookupView_follows_the_language_example()
    {
        var france = Store.Assert(A("paris", "capital_of", "france", "alice")).Hash;
        Store.Assert(A("paris", "capital_of", "france", "bob"));
        var germany = Store.Assert(A("paris", "capital_of", "germany", "carol")).Hash;

        var consensus = Store.View("consensus", "paris", "capital_of");
        Assert.Equal(france, consensus.Winner.Assertion.Hash);
        Assert.Equal((Weights.ToUnits(2), Weights.ToUnits(3), 2), (consensus.SupportUnits, consensus.TotalUnits, consensus.Candidates));
        Assert.Equal(2.0 / 3.0, consensus.Confidence, 12);

        var recency = Store.View("recency", "paris", "capital_of");
        Assert.Equal(germany, recency.Winner.Assertion.Hash);
        Assert.Equal((Weights.ToUnits(1), Weights.ToUnits(3), 2), (recency.SupportUnits, recency.TotalUnits, recency.Candidates));

        Store.Vote(germany, "dave", 1.0);
        Store.Vote(germany, "erin", 1.0);
        Store.Vote(germany, "frank", 0.1);
        Store.Vote(germany, "frank", 0.5);

        consensus = Store.View("consensus", "paris", "capital_of");
        Assert.Equal(germany, consensus.Winner.Assertion.Hash);
        Assert.Equal(Weights.ToUnits(3.5), consensus.SupportUnits);
        Assert.Equal(Weights.ToUnits(5.5), consensus.TotalUnits);
        Assert.Equal(0.636, consensus.Confidence, 3);
        Assert.Equal(2, consensus.Candidates);
        ReferenceLens.AssertViewsMatch(Store, [("paris", "capital_of")], "language example");
    }

    [Fact]
    public void Consensus_ties_go_to_the_value_asserted_first()
    {
        var first = Store.Assert(A("s", "p", "a", "alice", 0.5)).Hash;
        var second = Store.Assert(A("s", "p", "b", "bob", 0.5)).Hash;
        Assert.Equal(first, Store.View("consensus", "s", "p").Winner.Assertion.Hash);
        Store.Vote(second, "carol", 0.25);
        Assert.Equal(second, Store.View("consensus", "s", "p").Winner.Assertion.Hash);
        Store.Vote(first, "dave", 0.25);
        Assert.Equal(first, Store.View("consensus", "s", "p").Winner.Assertion.Hash);
        // Lowering a vote moves the winner back.
        Store.Vote(first, "dave", 0);
        Assert.Equal(second, Store.View("consensus", "s", "p").Winner.Assertion.Hash);
    }

    [Fact]
    public void Consensus_winner_is_the_first_assertion_of_the_winning_value()
    {
        Store.Assert(A("s", "p", "a", "alice", 0.1));
        var firstB = Store.Assert(A("s", "p", "b", "bob", 0.1)).Hash;
        var laterB = Store.Assert(A("s", "p", "b", "carol", 0.1)).Hash;
        Store.Vote(laterB, "dave");
        var row = Store.View("consensus", "s", "p");
        Assert.Equal(firstB, row.Winner.Assertion.Hash);
        Assert.Equal(Weights.ToUnits(1.2), row.SupportUnits);
    }

    [Fact]
    public void A_set_with_no_support_has_confidence_zero()
    {
        Store.Assert(A("s", "p", "a", "alice", 0));
        var row = Store.View("consensus", "s", "p");
        Assert.Equal((0L, 0L, 0.0), (row.SupportUnits, row.TotalUnits, row.Confidence));
    }

    [Fact]
    public void LookupView_orders_rows_by_subject_then_predicate_and_filters_keys()
    {
        foreach (var (s, p) in new[] { ("b", "y"), ("a", "y"), ("b", "x"), ("a", "x"), ("c", "x") })
            Store.Assert(A(s, p, s + p));
        Assert.Equal(["ax", "ay", "bx", "by", "cx"], Store.LookupView("consensus", KeyFilter.All).Select(r => r.Winner.Assertion.Object.AsText));
        Assert.Equal(["ax", "bx", "cx"], Store.LookupView("recency", new KeyFilter(null, ["x"])).Select(r => r.Winner.Assertion.Object.AsText));
        Assert.Equal(["by", "cx"], Store.LookupView("consensus", new KeyFilter(["c", "b", "zz"], ["y", "x"]))
            .Where(r => r.Winner.Assertion.Object.AsText is "by" or "cx").Select(r => r.Winner.Assertion.Object.AsText));
        Assert.Equal(3, Store.LookupView("consensus", new KeyFilter(["c", "b"], null)).Count());
        Assert.Empty(Store.LookupView("consensus", new KeyFilter([], null)));
        Assert.Empty(Store.LookupView("consensus", new KeyFilter(null, [])));
    }

    [Fact]
    public void LookupView_without_the_tallies_finds_the_winner_a_whole_read_finds()
    {
        Store.Assert(A("tie", "p", "first", "alice"));
        Store.Assert(A("tie", "p", "second", "bob"));
        Store.Assert(A("one", "p", "only", "alice"));
        Store.Assert(A("moved", "p", "x", "alice", 0.5));
        var y = Store.Assert(A("moved", "p", "y", "bob", 0.5)).Hash;
        AssertReadsAgree("before any vote");
        Store.Vote(y, "carol", 1.0);
        AssertReadsAgree("after a vote moved the winner");
        Assert.Equal("y", Store.LookupView("consensus", new KeyFilter(["moved"], ["p"]) { Fields = AssertionFields.Object }).Single().Winner.Assertion.Object.AsText);
    }

    [Fact]
    public void TryLookupViewRow_reads_the_row_LookupView_reads_for_one_set()
    {
        Store.Assert(A("tie", "p", "first", "alice"));
        Store.Assert(A("tie", "p", "second", "bob"));
        Store.Assert(A("int", "p", StemeValue.Integer(-7), "alice", 0.25, epoch: "e1"));
        Store.Assert(A("real", "p", StemeValue.Real(2.5)));
        Store.Assert(A("bool", "p", StemeValue.Boolean(false)));
        Store.Assert(A("bytes", "p", StemeValue.Bytes([0, 1, 255])));
        var origin = Store.Assert(A("origin", "q", "root")).Hash;
        Store.Assert(A("derived", "p", StemeValue.Text("child"), lineage: [origin]));
        var y = Store.Assert(A("moved", "p", "y", "bob", 0.5)).Hash;
        Store.Assert(A("moved", "p", "x", "alice", 0.5));
        AssertOneSetReadsAgree("before any vote");
        Store.Vote(y, "carol", 1.0);
        AssertOneSetReadsAgree("after a vote moved the winner");
        Assert.True(Store.TryLookupViewRow("CONSENSUS", "moved", "p", AssertionFields.Object, out var moved), "lens names are case-insensitive");
        Assert.Equal(StemeValue.Text("y"), moved.Object);
        Assert.False(Store.TryLookupViewRow("consensus", "origin", "p", AssertionFields.All, out _), "a subject without that predicate has no row");
        Assert.Equal(StemeErrorCode.UnknownLens,
            Assert.Throws<StemeException>(() => Store.TryLookupViewRow("nosuchlens", "tie", "p", AssertionFields.All, out _)).ErrorCode);
    }

    // The one-set read and LookupView of a filter pinning that set agree on every part asked for, for each lens and a few
    // field sets (the parts not asked for are empty in both).
    private void AssertOneSetReadsAgree(string context)
    {
        AssertionFields[] asked = [AssertionFields.All, AssertionFields.None, AssertionFields.Object, AssertionFields.Tallies,
            AssertionFields.Hash | AssertionFields.Subject | AssertionFields.AssertedAt, AssertionFields.Epoch | AssertionFields.Agent | AssertionFields.Lineage];
        foreach (var lens in Store.MaterializedLenses)
        {
            foreach (var subject in new[] { "tie", "int", "real", "bool", "bytes", "derived", "moved", "nowhere" })
            {
                foreach (var fields in asked)
                {
                    var expected = Store.LookupView(lens, Key(subject, "p") with { Fields = fields }).Select(ViewRowValues.Of).ToList();
                    bool found = Store.TryLookupViewRow(lens, subject, "p", fields, out var row);
                    string what = $"{lens} {subject} {fields}, {context}";
                    Assert.True(found == (expected.Count == 1), what);
                    if (!found) continue;
                    Assert.Equal(Parts(expected[0]), Parts(row));
                    Assert.Equal(expected[0].Lineage ?? [], row.Lineage ?? []);
                }
            }
        }
    }

    private static object Parts(ViewRowValues v) => (v.Lsn, v.Hash, v.Subject, v.Predicate, v.Object, v.Epoch, v.Agent, v.Confidence, v.AssertedAt,
        v.SupportUnits, v.TotalUnits, v.Candidates, v.Share);

    // Each part asked for alone reads what a whole read reads: the winner (by LSN and object) without the tallies, and the
    // tallies when asked for them; for one set, an unknown one, and every set.
    private void AssertReadsAgree(string context)
    {
        foreach (var lens in Store.MaterializedLenses)
        {
            foreach (var keys in new[] { Key("tie", "p"), Key("one", "p"), Key("moved", "p"), Key("nowhere", "p"), new KeyFilter(null, ["p"]) })
            {
                var whole = Store.LookupView(lens, keys).ToList();
                var winners = Store.LookupView(lens, keys with { Fields = AssertionFields.Object }).ToList();
                var tallies = Store.LookupView(lens, keys with { Fields = AssertionFields.Tallies }).ToList();
                Assert.True(whole.Select(r => (r.Winner.Lsn, r.Winner.Assertion.Object)).SequenceEqual(winners.Select(r => (r.Winner.Lsn, r.Winner.Assertion.Object))),
                    $"{lens} winners, {context}");
                Assert.True(whole.Select(r => (r.Winner.Lsn, r.SupportUnits, r.TotalUnits, r.Candidates))
                    .SequenceEqual(tallies.Select(r => (r.Winner.Lsn, r.SupportUnits, r.TotalUnits, r.Candidates))), $"{lens} tallies, {context}");
            }
        }
        ReferenceLens.AssertViewsMatch(Store, [("tie", "p"), ("one", "p"), ("moved", "p")], context);
    }

    [Fact]
    public void LookupView_accepts_any_case_and_rejects_unknown_lenses()
    {
        Store.Assert(A("s", "p", "a"));
        Assert.Single(Store.LookupView("Consensus", KeyFilter.All));
        var error = Assert.Throws<StemeException>(() => Store.LookupView("skeptic", KeyFilter.All).ToList());
        Assert.Equal(StemeErrorCode.UnknownLens, error.ErrorCode);
    }
}

/// <summary>The views suite on the embedded store.</summary>
public sealed class EmbeddedViewTests() : ViewTests(StoreBackend.Embedded);

/// <summary>The views suite on PostgreSQL.</summary>
public sealed class PostgresViewTests() : ViewTests(StoreBackend.Postgres);
