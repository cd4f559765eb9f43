using StemeQL.Core.Model;
using StemeQL.Storage.Abstractions;
using StemeQL.Storage.Tests.Backends;
using StemeQL.Storage.Tests.Support;
using static StemeQL.Storage.Tests.Support.Writes;

namespace StemeQL.Storage.Tests;

public abstract class WriteTests(StoreBackend backend) : IDisposable
{
    private readonly IBackendStore _test = backend.Create();

    private IEpistemeStore Store => _test.Store;

    public void Dispose() => _test.Dispose();

    [Fact]
    public void LastLsn_is_none_for_an_empty_store()
    {
        Assert.Equal(Lsn.None, Store.LastLsn);
        Assert.Empty(Store.ScanAssertions(KeyFilter.All));
        Assert.Equal(0, Store.CountAssertions(KeyFilter.All));
    }

    [Fact]
    public void Write_stores_an_agent_of_the_longest_allowed_name()
    {
        string agent = new('é', WriteRules.MaxAgentBytes / 2); // two bytes each: exactly the limit
        var assertion = Store.Assert(A("s", "p", "o", agent: agent));
        Store.Vote(assertion.Hash, agent);

        Assert.Equal(agent, Store.ScanAssertions(KeyFilter.All with { Agents = [agent] }).Single().Assertion.Agent);
        Assert.Equal(agent, Store.ScanVotesOn(KeyFilter.All with { Agents = [agent] }).Single().Agent);
    }

    [Fact]
    public void Write_refuses_an_assertion_by_an_agent_longer_than_allowed_and_writes_nothing()
    {
        string agent = new('a', WriteRules.MaxAgentBytes + 1);
        var write = new List<WriteOperation> { new AssertOperation(A("s", "p", "first")), new AssertOperation(A("s", "p", "o", agent: agent)) };

        var error = Assert.Throws<StemeException>(() => Store.Write(write));

        Assert.Equal(StemeErrorCode.AgentTooLong, error.ErrorCode);
        Assert.Contains($"{WriteRules.MaxAgentBytes + 1} bytes", error.Message, StringComparison.Ordinal);
        Assert.Equal(Lsn.None, Store.LastLsn);
    }

    [Fact]
    public void Write_refuses_a_vote_by_an_agent_longer_than_allowed_and_writes_nothing()
    {
        var target = Store.Assert(A("s", "p", "o"));

        var error = Assert.Throws<StemeException>(() => Store.Vote(target.Hash, new string('b', 3_000)));

        Assert.Equal(StemeErrorCode.AgentTooLong, error.ErrorCode);
        Assert.Equal(target.Lsn, Store.LastLsn);
        Assert.Empty(Store.ScanVotes(null));
    }

    [Fact]
    public void Write_assigns_increasing_lsns_to_assertions_and_votes()
    {
        var first = Store.Assert(A("paris", "capital_of", "france"));
        long vote = Store.Vote(first.Hash, "bob");
        var second = Store.Assert(A("berlin", "capital_of", "germany"));
        Assert.Equal([Lsn.First, Lsn.First + 1, Lsn.First + 2], new[] { first.Lsn, vote, second.Lsn });
        Assert.True(first.Created);
        Assert.Equal(second.Lsn, Store.LastLsn);
    }

    [Fact]
    public void Write_returns_created_false_when_assertion_exists()
    {
        var original = Store.Assert(A("paris", "capital_of", "france", confidence: 0.9));
        var again = Store.Assert(A("paris", "capital_of", "france", confidence: 0.2));
        Assert.Equal(new AssertOutcome(original.Hash, original.Lsn, Created: false), again);
        Assert.Equal(original.Lsn, Store.LastLsn);
        var stored = Assert.Single(Store.ScanAssertions(KeyFilter.All));
        Assert.Equal(0.9, stored.Assertion.Confidence);
        Assert.Equal(1, Store.CountAssertions(KeyFilter.All));
        Assert.Equal(Weights.ToUnits(0.9), Store.View("consensus", "paris", "capital_of").TotalUnits);
    }

    [Fact]
    public void Write_returns_created_false_for_a_repeat_within_the_same_call()
    {
        var assertion = A("paris", "capital_of", "france");
        var outcomes = Store.WriteVisible([new AssertOperation(assertion), new AssertOperation(assertion)]);
        Assert.Equal([new AssertOutcome(assertion.Hash, 1, true), new AssertOutcome(assertion.Hash, 1, false)], outcomes);
        Assert.Equal(1, Store.LastLsn);
    }

    [Fact]
    public void Write_of_nothing_returns_nothing_and_takes_no_lsn()
    {
        Assert.Empty(Store.WriteVisible([]));
        Assert.Equal(Lsn.None, Store.LastLsn);
    }

    [Fact]
    public void Write_throws_unknown_assertion_and_writes_nothing_when_vote_target_is_missing()
    {
        Store.Assert(A("berlin", "capital_of", "germany"));
        var fresh = A("paris", "capital_of", "france");
        var unknown = A("nowhere", "capital_of", "nothing").Hash;
        var error = Assert.Throws<StemeException>(() => Store.WriteVisible([
            new AssertOperation(fresh),
            new VoteOperation(new Vote(fresh.Hash, "bob", 1.0)),
            new VoteOperation(new Vote(unknown, "bob", 1.0)),
        ]));
        Assert.Equal(StemeErrorCode.UnknownAssertion, error.ErrorCode);
        Assert.Contains(unknown.ToString(), error.Message, StringComparison.Ordinal);
        Assert.Equal(1, Store.LastLsn);
        Assert.False(Store.Contains(fresh.Hash));
        Assert.Single(Store.ScanAssertions(KeyFilter.All));
        Assert.Empty(Store.ScanVotes(null));
        Assert.Empty(Store.LookupView("consensus", Key("paris", "capital_of")));
        Assert.Equal(1, Store.CountAssertions(KeyFilter.All));
        // The counter did not move: the next write takes the next LSN after the last committed one.
        Assert.Equal(2, Store.Assert(fresh).Lsn);
    }

    [Fact]
    public void Write_accepts_a_vote_on_an_assertion_asserted_earlier_in_the_same_call()
    {
        var assertion = A("paris", "capital_of", "france");
        var outcomes = Store.WriteVisible([new AssertOperation(assertion), new VoteOperation(new Vote(assertion.Hash, "bob", 0.5))]);
        Assert.Equal([1L, 2L], outcomes.Select(o => o.Lsn));
        Assert.Equal(Weights.ToUnits(1.5), Store.View("consensus", "paris", "capital_of").SupportUnits);
    }

    [Fact]
    public void Write_rejects_a_vote_on_an_assertion_asserted_later_in_the_same_call()
    {
        var assertion = A("paris", "capital_of", "france");
        var error = Assert.Throws<StemeException>(() =>
            Store.WriteVisible([new VoteOperation(new Vote(assertion.Hash, "bob", 0.5)), new AssertOperation(assertion)]));
        Assert.Equal(StemeErrorCode.UnknownAssertion, error.ErrorCode);
        Assert.Equal(Lsn.None, Store.LastLsn);
    }

    [Fact]
    public void Write_throws_unknown_assertion_when_lineage_is_missing()
    {
        var missing = A("x", "y", "z").Hash;
        var error = Assert.Throws<StemeException>(() =>
            Store.Assert(A("a", "b", StemeValue.Text("c"), lineage: [missing])));
        Assert.Equal(StemeErrorCode.UnknownAssertion, error.ErrorCode);
        Assert.Contains("DERIVED FROM", error.Message, StringComparison.Ordinal);
        Assert.Equal(Lsn.None, Store.LastLsn);
        Assert.Empty(Store.ScanAssertions(KeyFilter.All));
    }

    [Fact]
    public void Write_accepts_lineage_stored_before_or_asserted_earlier_in_the_same_call()
    {
        var stored = Store.Assert(A("x", "y", "stored")).Hash;
        var sibling = A("x", "y", "sibling");
        var child = A("a", "b", StemeValue.Text("child"), lineage: [stored, sibling.Hash]);
        Store.WriteVisible([new AssertOperation(sibling), new AssertOperation(child)]);
        var read = Store.ScanAssertions(Key("a", "b")).Single().Assertion;
        Assert.Equal(child.Lineage, read.Lineage);
        Assert.Equal(child.Hash, read.Hash);
    }

    [Fact]
    public void Write_replaces_an_agents_older_vote_for_scoring_and_keeps_both_in_history()
    {
        var hash = Store.Assert(A("paris", "capital_of", "france", confidence: 0.5)).Hash;
        Store.Vote(hash, "bob", 1.0);
        Store.Vote(hash, "carol", 0.25);
        Store.Vote(hash, "bob", 0.2);
        var row = Store.View("consensus", "paris", "capital_of");
        Assert.Equal(Weights.ToUnits(0.5) + Weights.ToUnits(0.2) + Weights.ToUnits(0.25), row.SupportUnits);
        Assert.Equal(row.SupportUnits, row.TotalUnits);
        var votes = Store.ScanVotes([hash]).ToList();
        Assert.Equal([("bob", 1.0, 2L), ("carol", 0.25, 3L), ("bob", 0.2, 4L)], votes.Select(v => (v.Agent, v.Weight, v.Lsn)));
    }

    [Fact]
    public void Write_stamps_utc_times_from_the_time_provider()
    {
        var at = _test.Time.Now.UtcDateTime;
        var hash = Store.Assert(A("paris", "capital_of", "france")).Hash;
        _test.Time.Advance(TimeSpan.FromMinutes(1));
        Store.Vote(hash, "bob");
        var assertion = Store.ScanAssertions(KeyFilter.All).Single();
        var vote = Store.ScanVotes(null).Single();
        Assert.Equal((at, DateTimeKind.Utc), (assertion.AssertedAt, assertion.AssertedAt.Kind));
        Assert.Equal((at.AddMinutes(1), DateTimeKind.Utc), (vote.VotedAt, vote.VotedAt.Kind));
    }

    [Fact]
    public void LastLsnAt_finds_the_newest_write_at_or_before_a_time()
    {
        var start = _test.Time.Now.UtcDateTime;
        var hash = Store.Assert(A("paris", "capital_of", "france")).Hash;      // LSN 1 at start
        _test.Time.Advance(TimeSpan.FromSeconds(10));
        Store.Vote(hash, "bob");                                                // LSN 2 at +10s
        _test.Time.Advance(TimeSpan.FromSeconds(10));
        Store.Assert(A("paris", "capital_of", "germany", "carol"));             // LSN 3 at +20s
        Assert.Equal(Lsn.None, Store.LastLsnAt(start.AddTicks(-1)));
        Assert.Equal(1, Store.LastLsnAt(start));
        Assert.Equal(1, Store.LastLsnAt(start.AddSeconds(9)));
        Assert.Equal(2, Store.LastLsnAt(start.AddSeconds(10)));
        Assert.Equal(3, Store.LastLsnAt(start.AddDays(1)));
        Assert.Equal(3, Store.LastLsnAt(start.AddSeconds(20).ToLocalTime()));
    }

    [Fact]
    public void LastLsnAt_agrees_with_the_write_times_over_many_writes_of_both_kinds()
    {
        var start = _test.Time.Now.UtcDateTime;
        var hash = Store.Assert(A("paris", "capital_of", "france")).Hash;
        var written = new List<(long Lsn, DateTime At)> { (1, start) };
        for (int i = 0; i < 40; i++)
        {
            // Some writes share a time, some are minutes apart; assertions and votes interleave.
            if (i % 3 != 0) _test.Time.Advance(TimeSpan.FromMinutes(i % 5));
            long lsn = i % 2 == 0 ? Store.Vote(hash, "voter" + i) : Store.Assert(A("s" + i, "p", "v" + i)).Lsn;
            written.Add((lsn, _test.Time.Now.UtcDateTime));
        }

        foreach (var at in written.Select(w => w.At).Distinct().SelectMany(t => new[] { t.AddTicks(-1), t, t.AddSeconds(30) }))
            Assert.Equal(written.Where(w => w.At <= at).Select(w => w.Lsn).DefaultIfEmpty(Lsn.None).Max(), Store.LastLsnAt(at));
    }

    [Fact]
    public void Write_never_stamps_a_time_before_the_previous_write()
    {
        Store.Assert(A("a", "p", "1"));
        _test.Time.Advance(TimeSpan.FromHours(-1));
        Store.Assert(A("a", "p", "2"));
        var times = Store.ScanAssertions(KeyFilter.All).Select(a => a.AssertedAt).ToList();
        Assert.Equal(times[0], times[1]);
        Assert.Equal(2, Store.LastLsnAt(times[0]));
    }

    [Fact]
    public void Contains_is_true_only_for_stored_assertions()
    {
        var stored = Store.Assert(A("paris", "capital_of", "france")).Hash;
        Assert.True(Store.Contains(stored));
        Assert.False(Store.Contains(A("paris", "capital_of", "spain").Hash));
    }

    [Fact]
    public void A_write_of_thousands_of_operations_is_stored_whole_and_folded_into_the_views()
    {
        // Large enough for the bulk paths (PostgreSQL's binary COPY), with votes on assertions of the same write.
        var assertions = Enumerable.Range(0, 1500).Select(i => A("s" + (i % 40), "p", StemeValue.Integer(i % 7), "agent" + i)).ToList();
        var operations = new List<WriteOperation>();
        operations.AddRange(assertions.Select(a => new AssertOperation(a)));
        operations.AddRange(assertions.Select((a, i) => new VoteOperation(new Vote(a.Hash, "voter" + (i % 3), (i % 4) / 4.0))));

        var outcomes = Store.WriteVisible(operations);

        Assert.Equal(Enumerable.Range(1, outcomes.Count).Select(i => (long)i), outcomes.Select(o => o.Lsn));
        Assert.Equal(assertions.Select(a => a.Hash), Store.ScanAssertions(KeyFilter.All).Select(a => a.Assertion.Hash));
        Assert.Equal(1500, Store.ScanVotes(null).Count());
        ReferenceLens.AssertViewsMatch(Store, Enumerable.Range(0, 40).Select(i => ("s" + i, "p")), "after one large write");
    }

    [Fact]
    public void A_large_write_whose_vote_unseats_a_stored_winner_folds_it_from_the_stored_rivals()
    {
        // The vote takes the winner's support below a rival's, so the fold reads the set's stored values on demand,
        // in a write large enough for PostgreSQL's COPY of the ledger (which the fold overlaps).
        var winner = Store.Assert(A("rome", "capital_of", "italy")).Hash;
        var rival = Store.Assert(A("rome", "capital_of", "papal states", "carol")).Hash;
        Store.Vote(winner, "bob");
        Store.Vote(rival, "dave", 0.5);
        var operations = Enumerable.Range(0, 1100).Select(i => (WriteOperation)new AssertOperation(A("city" + i, "capital_of", "x"))).ToList();
        operations.Add(new VoteOperation(new Vote(winner, "bob", 0.0)));

        Store.WriteVisible(operations);

        Assert.Equal(rival, Store.View("consensus", "rome", "capital_of").Winner.Assertion.Hash);
        ReferenceLens.AssertViewsMatch(Store, [("rome", "capital_of"), ("city0", "capital_of")], "after the large write");
    }
}

/// <summary>The writes suite on the embedded store.</summary>
public sealed class EmbeddedWriteTests() : WriteTests(StoreBackend.Embedded);

/// <summary>The writes suite on PostgreSQL.</summary>
public sealed class PostgresWriteTests() : WriteTests(StoreBackend.Postgres);
