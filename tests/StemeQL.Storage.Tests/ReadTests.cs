using StemeQL.Core.Model;
using StemeQL.Storage.Abstractions;
using StemeQL.Storage.Tests.Backends;
using StemeQL.Storage.Tests.Support;
using static StemeQL.Storage.Tests.Support.Writes;

namespace StemeQL.Storage.Tests;

public abstract class ReadTests(StoreBackend backend) : IDisposable
{
    private readonly IBackendStore _test = backend.Create();

    private IEpistemeStore Store => _test.Store;

    public void Dispose() => _test.Dispose();

    private List<ContentHash> Seed()
    {
        var hashes = new List<ContentHash>();
        foreach (var (s, p, o) in new[] { ("paris", "capital_of", "france"), ("berlin", "capital_of", "germany"), ("paris", "population", "2m"), ("rome", "capital_of", "italy") })
            hashes.Add(Store.Assert(A(s, p, o)).Hash);
        Store.Vote(hashes[0], "bob");       // LSN 5
        Store.Vote(hashes[1], "bob");       // LSN 6
        Store.Vote(hashes[2], "carol");     // LSN 7
        return hashes;
    }

    [Fact]
    public void ScanAssertions_filters_by_keys_and_lsn_in_lsn_order()
    {
        Seed();
        Assert.Equal([1L, 2L, 3L, 4L], Store.ScanAssertions(KeyFilter.All).Select(a => a.Lsn));
        Assert.Equal([1L, 3L], Store.ScanAssertions(new KeyFilter(["paris"], null)).Select(a => a.Lsn));
        Assert.Equal([1L, 2L, 4L], Store.ScanAssertions(new KeyFilter(null, ["capital_of"])).Select(a => a.Lsn));
        Assert.Equal([2L, 4L], Store.ScanAssertions(new KeyFilter(["rome", "berlin"], ["capital_of", "nothing"])).Select(a => a.Lsn));
        Assert.Equal([1L, 2L], Store.ScanAssertions(KeyFilter.All, maxLsn: 2).Select(a => a.Lsn));
        Assert.Empty(Store.ScanAssertions(KeyFilter.All, maxLsn: Lsn.None));
        Assert.Empty(Store.ScanAssertions(new KeyFilter([], null)));
    }

    [Fact]
    public void ScanVotes_filters_by_assertion_and_lsn_in_lsn_order()
    {
        var hashes = Seed();
        Assert.Equal([5L, 6L, 7L], Store.ScanVotes(null).Select(v => v.Lsn));
        Assert.Equal([5L, 7L], Store.ScanVotes([hashes[2], hashes[0]]).Select(v => v.Lsn));
        Assert.Equal([5L], Store.ScanVotes([hashes[2], hashes[0]], maxLsn: 6).Select(v => v.Lsn));
        Assert.Empty(Store.ScanVotes([]));
        Assert.Empty(Store.ScanVotes([hashes[3]]));
    }

    [Fact]
    public void A_vote_read_by_its_target_hash_returns_that_hash()
    {
        var hashes = Seed();
        Assert.Equal([hashes[2]], Store.ScanVotesOn(KeyFilter.ForHashes([hashes[2]])).Select(v => v.Assertion));
    }

    [Fact]
    public void A_vote_read_by_agent_returns_each_target_hash()
    {
        var hashes = Seed();
        Assert.Equal([hashes[0], hashes[1]], Store.ScanVotesOn(KeyFilter.ForAgents(["bob"])).Select(v => v.Assertion));
    }

    [Fact]
    public void A_vote_read_by_lsn_range_returns_each_target_hash()
    {
        var hashes = Seed();
        Assert.Equal([hashes[1], hashes[2]], Store.ScanVotesOn(KeyFilter.All with { MinLsn = 6, MaxLsn = 7 }).Select(v => v.Assertion));
    }

    [Fact]
    public void ScanVotesOn_filters_by_the_keys_of_the_voted_assertions()
    {
        Seed();
        Assert.Equal([5L, 7L], Store.ScanVotesOn(new KeyFilter(["paris"], null)).Select(v => v.Lsn));
        Assert.Equal([5L, 6L], Store.ScanVotesOn(new KeyFilter(null, ["capital_of"])).Select(v => v.Lsn));
        Assert.Equal([5L, 6L, 7L], Store.ScanVotesOn(KeyFilter.All).Select(v => v.Lsn));
        Assert.Equal([5L, 6L], Store.ScanVotesOn(KeyFilter.All, maxLsn: 6).Select(v => v.Lsn));
        Assert.Empty(Store.ScanVotesOn(new KeyFilter(null, [])));
    }

    [Fact]
    public void CountAssertions_counts_the_matching_assertions()
    {
        Seed();
        Store.Assert(A("paris", "capital_of", "spain", "dave"));
        Assert.Equal(5, Store.CountAssertions(KeyFilter.All));
        Assert.Equal(3, Store.CountAssertions(new KeyFilter(["paris"], null)));
        Assert.Equal(4, Store.CountAssertions(new KeyFilter(null, ["capital_of"])));
        Assert.Equal(2, Store.CountAssertions(Key("paris", "capital_of")));
        Assert.Equal(0, Store.CountAssertions(new KeyFilter(["nowhere"], null)));
        Assert.Equal(0, Store.CountAssertions(new KeyFilter([], null)));
    }

    [Fact]
    public void Key_sets_larger_than_the_parameter_limit_still_filter_in_one_ordered_read()
    {
        var hashes = Seed();
        var subjects = Enumerable.Range(0, 1200).Select(i => "missing" + i).Append("rome").Append("paris").ToList();
        var predicates = Enumerable.Range(0, 700).Select(i => "missing" + i).Append("capital_of").ToList();
        var keys = new KeyFilter(subjects, predicates);
        Assert.Equal([1L, 4L], Store.ScanAssertions(keys).Select(a => a.Lsn));
        Assert.Equal([5L], Store.ScanVotesOn(keys).Select(v => v.Lsn));
        Assert.Equal(["paris", "rome"], Store.LookupView("consensus", keys).Select(r => r.Winner.Assertion.Subject));
        Assert.Equal(2, Store.CountAssertions(keys));
        var manyHashes = Enumerable.Range(0, 600).Select(i => A("x", "y", i.ToString(System.Globalization.CultureInfo.InvariantCulture)).Hash)
            .Append(hashes[1]).Append(hashes[0]).ToList();
        Assert.Equal([5L, 6L], Store.ScanVotes(manyHashes).Select(v => v.Lsn));
        // The pooled read connections come back clean: a small read after a large one still works.
        Assert.Equal([1L, 3L], Store.ScanAssertions(new KeyFilter(["paris"], null)).Select(a => a.Lsn));
        Assert.Equal([1L, 4L], Store.ScanAssertions(keys).Select(a => a.Lsn));
    }

    [Fact]
    public void Reads_stream_from_a_snapshot_while_writes_go_on()
    {
        Seed();
        using var rows = Store.ScanAssertions(KeyFilter.All).GetEnumerator();
        Assert.True(rows.MoveNext());
        // The open read holds no lock that the writer waits for.
        var written = Store.Assert(A("madrid", "capital_of", "spain"));
        Assert.Equal(8, written.Lsn);
        var rest = new List<long> { rows.Current.Lsn };
        while (rows.MoveNext()) rest.Add(rows.Current.Lsn);
        Assert.Equal([1L, 2L, 3L, 4L], rest);
        Assert.Equal(5, Store.ScanAssertions(KeyFilter.All).Count());
    }

    [Fact]
    public void Store_methods_throw_object_disposed_after_dispose()
    {
        Seed();
        _test.Store.Dispose();
        Assert.Throws<ObjectDisposedException>(() => Store.ScanAssertions(KeyFilter.All).ToList());
        Assert.Throws<ObjectDisposedException>(() => Store.Write([new AssertOperation(A("a", "b", "c"))]));
        Assert.Throws<ObjectDisposedException>(() => Store.LookupView("consensus", KeyFilter.All));
        Assert.Throws<ObjectDisposedException>(() => Store.Contains(default));
    }

    [Fact]
    public void Reopening_a_folder_keeps_everything_and_continues_the_lsns()
    {
        var hashes = Seed();
        var before = Store.LookupView("consensus", KeyFilter.All).ToList();
        var beforeTime = Store.ScanAssertions(KeyFilter.All).Last().AssertedAt;
        _test.Reopen();
        Assert.Equal(7, Store.LastLsn);
        Assert.Equal(4, Store.CountAssertions(KeyFilter.All));
        Assert.True(Store.Contains(hashes[3]));
        Assert.Equal(before, Store.LookupView("consensus", KeyFilter.All).ToList(), ViewRowComparer.Instance);
        Assert.Equal(7, Store.LastLsnAt(beforeTime));
        Assert.Equal(new AssertOutcome(hashes[0], 1, false), Store.Assert(A("paris", "capital_of", "france")));
        Assert.Equal(8, Store.Vote(hashes[3], "dave"));
        ReferenceLens.AssertViewsMatch(Store, [("paris", "capital_of"), ("berlin", "capital_of"), ("paris", "population"), ("rome", "capital_of")], "after reopen");
    }
}

/// <summary>View rows compared by winner hash and LSN, support, total and candidates.</summary>
internal sealed class ViewRowComparer : IEqualityComparer<ViewRow>
{
    public static readonly ViewRowComparer Instance = new();

    public bool Equals(ViewRow? x, ViewRow? y) => x is not null && y is not null
        && x.Winner.Assertion.Hash == y.Winner.Assertion.Hash && x.Winner.Lsn == y.Winner.Lsn
        && x.SupportUnits == y.SupportUnits && x.TotalUnits == y.TotalUnits && x.Candidates == y.Candidates;

    public int GetHashCode(ViewRow obj) => obj.Winner.Assertion.Hash.GetHashCode();
}

/// <summary>The reads suite on the embedded store.</summary>
public sealed class EmbeddedReadTests() : ReadTests(StoreBackend.Embedded);

/// <summary>The reads suite on PostgreSQL.</summary>
public sealed class PostgresReadTests() : ReadTests(StoreBackend.Postgres);
