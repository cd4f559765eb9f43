using StemeQL.Core.Lenses;
using StemeQL.Core.Model;
using StemeQL.Storage.Abstractions;
using StemeQL.Storage.Embedded;
using StemeQL.Storage.Tests.Support;
using static StemeQL.Storage.Tests.Support.Writes;

namespace StemeQL.Storage.Tests;

/// <summary>Reads of a shape already seen compile nothing; statistics and counts are cheap and exact.</summary>
public sealed class PreparedReadTests : IDisposable
{
    private readonly TestStore _test = new();

    private EmbeddedStore Store => _test.Store;

    public void Dispose() => _test.Dispose();

    private List<ContentHash> Seed()
    {
        var hashes = new List<ContentHash>();
        foreach (var (s, p, o, agent) in new[]
        {
            ("paris", "capital_of", "france", "alice"), ("berlin", "capital_of", "germany", "alice"), ("paris", "population", "2m", "bob"),
            ("rome", "capital_of", "italy", "carol"), ("lyon", "capital_of", "france", "dave"),
        })
        {
            hashes.Add(Store.Assert(A(s, p, o, agent)).Hash);
        }
        Store.Vote(hashes[0], "bob");   // LSN 6
        Store.Vote(hashes[1], "bob");   // LSN 7
        Store.Vote(hashes[4], "carol"); // LSN 8
        return hashes;
    }

    [Fact]
    public void A_consensus_lookup_reads_the_same_support_as_the_value_tallies_after_votes_move_it()
    {
        var paris = Store.Assert(A("paris", "capital_of", "france")).Hash;
        Store.Assert(A("paris", "capital_of", "lyon", "bob", confidence: 0.5));
        Store.Vote(paris, "carol", 0.75);
        Store.Vote(paris, "carol", 0.25); // carol's newer vote lowers the winner's support
        // Consensus takes the winner's support from its lens state; recency (same winner here: no,
        // the newest assertion) joins the value tallies, so compare each with the tallies' own figure.
        var consensus = Store.View(LensNames.Consensus, "paris", "capital_of");
        Assert.Equal(paris, consensus.Winner.Assertion.Hash);
        Assert.Equal(Weights.ToUnits(1.25), consensus.SupportUnits);
        Assert.Equal(Weights.ToUnits(1.75), consensus.TotalUnits);
        Assert.Equal(2, consensus.Candidates);
        var recency = Store.View(LensNames.Recency, "paris", "capital_of");
        Assert.Equal(Weights.ToUnits(0.5), recency.SupportUnits);
    }

    [Fact]
    public void A_repeated_read_of_the_same_shape_compiles_no_statement()
    {
        var hashes = Seed();
        Assert.Equal("paris", Store.ScanAssertions(KeyFilter.ForHashes([hashes[0]])).Single().Assertion.Subject);
        Assert.Single(Store.LookupView(LensNames.Consensus, Key("paris", "capital_of")));
        Assert.Equal(3, Store.ScanAssertions(new KeyFilter(["paris", "rome", "nowhere", "x", "y"], null)).Count());
        long compiled = Store.StatementsCompiled;
        Assert.True(compiled > 0);
        for (int i = 0; i < 20; i++)
        {
            Assert.Equal(hashes[i % 5], Store.ScanAssertions(KeyFilter.ForHashes([hashes[i % 5]])).Single().Assertion.Hash);
            Assert.Single(Store.LookupView(LensNames.Consensus, Key(i % 2 == 0 ? "berlin" : "rome", "capital_of")));
            // Five and seven subjects pad to the same shape (eight parameters).
            Assert.NotEmpty(Store.ScanAssertions(new KeyFilter(i % 2 == 0 ? ["paris", "lyon", "a", "b", "c"] : ["rome", "berlin", "lyon", "a", "b", "c", "d"], null)));
        }
        Assert.Equal(compiled, Store.StatementsCompiled);
        // A new shape compiles once.
        Assert.Equal(2, Store.ScanAssertions(KeyFilter.ForAgents(["alice"])).Count());
        Assert.Equal(compiled + 1, Store.StatementsCompiled);
        Assert.Single(Store.ScanAssertions(KeyFilter.ForAgents(["carol"])));
        Assert.Equal(compiled + 1, Store.StatementsCompiled);
    }

    [Fact]
    public void A_read_abandoned_part_way_gives_its_connection_back_clean()
    {
        Seed();
        for (int i = 0; i < ReaderPool.MaxIdle * 3; i++)
        {
            using var rows = Store.ScanAssertions(KeyFilter.All).GetEnumerator();
            Assert.True(rows.MoveNext());
        }
        long compiled = Store.StatementsCompiled;
        Assert.Equal(5, Store.ScanAssertions(KeyFilter.All).Count());
        Assert.Equal(compiled, Store.StatementsCompiled);
    }

    [Fact]
    public void A_finished_or_abandoned_read_leaves_no_snapshot_that_holds_back_a_checkpoint()
    {
        Seed();
        using (var rows = Store.ScanAssertions(KeyFilter.All).GetEnumerator())
        {
            Assert.True(rows.MoveNext());
            // The open read holds its snapshot, so once more is written a truncating checkpoint cannot finish: the check can fail.
            Store.Assert(A("madrid", "capital_of", "spain"));
            Assert.Equal(1L, Checkpoint());
        }
        Assert.Single(Store.LookupView(LensNames.Consensus, Key("paris", "capital_of")));
        Assert.Equal(6, Store.Count(StoreRelation.Assertions, new KeyFilter(null, ["capital_of", "population"])));
        Assert.Single(Store.ScanAssertions(KeyFilter.All with { Descending = true, Limit = 1 }));
        // The store's own background checkpoint may be copying the last write at this moment (busy too): retry briefly.
        Assert.True(SpinWait.SpinUntil(() => Checkpoint() == 0, TimeSpan.FromSeconds(10)));
    }

    // PRAGMA wal_checkpoint(TRUNCATE) on a connection of its own: 1 when a reader kept it from finishing, else 0.
    private long Checkpoint()
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection(new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(_test.Folder, EmbeddedStore.DatabaseFileName), Pooling = false,
        }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        return reader.GetInt64(0);
    }

    [Fact]
    public void Descending_reads_with_a_limit_return_the_newest_rows_first()
    {
        Seed();
        Assert.Equal([5L, 4L], Store.ScanAssertions(KeyFilter.All with { Descending = true, Limit = 2 }).Select(a => a.Lsn));
        Assert.Equal([8L, 7L, 6L], Store.ScanVotes(null).Reverse().Select(v => v.Lsn));
        Assert.Equal([8L], Store.ScanVotesOn(KeyFilter.All with { Descending = true, Limit = 1 }).Select(v => v.Lsn));
        Assert.Equal([7L, 6L], Store.ScanVotesOn(KeyFilter.ForAgents(["bob"]) with { Descending = true }).Select(v => v.Lsn));
        Assert.Equal(["rome", "paris"], Store.LookupView(LensNames.Consensus, new KeyFilter(null, ["capital_of"]) with { Descending = true, Limit = 2 })
            .Select(r => r.Winner.Assertion.Subject));
        Assert.Empty(Store.ScanAssertions(KeyFilter.All with { Limit = 0 }));
        Assert.Equal([2L, 3L], Store.ScanAssertions(KeyFilter.All with { MinLsn = 2, MaxLsn = 3 }).Select(a => a.Lsn));
        Assert.Equal([2L], Store.ScanAssertions(KeyFilter.All with { MinLsn = 2, MaxLsn = 3 }, maxLsn: 2).Select(a => a.Lsn));
    }

    [Fact]
    public void A_reverse_lookup_finds_the_subjects_whose_winner_has_the_value()
    {
        var hashes = Seed();
        var france = new KeyFilter(null, ["capital_of"]) { Objects = [StemeValue.Text("france")] };
        Assert.Equal(["lyon", "paris"], Store.LookupView(LensNames.Consensus, france).Select(r => r.Winner.Assertion.Subject));
        Assert.Equal(2, Store.Count(StoreRelation.View, france, LensNames.Consensus));
        // Paris gets a better-supported rival value: it drops out of the consensus answer, but stays in the recency one until
        // a newer assertion takes over there too.
        var spain = Store.Assert(A("paris", "capital_of", "spain", "erin")).Hash;
        Store.Vote(spain, "frank");
        Store.Vote(spain, "gina");
        Assert.Equal(["lyon"], Store.LookupView(LensNames.Consensus, france).Select(r => r.Winner.Assertion.Subject));
        Assert.Equal(["lyon"], Store.LookupView(LensNames.Recency, france).Select(r => r.Winner.Assertion.Subject));
        Assert.Equal(["paris"], Store.LookupView(LensNames.Recency, france with { Objects = [StemeValue.Text("spain")] }).Select(r => r.Winner.Assertion.Subject));
        // A value that no object can hold, or of another type, matches nothing.
        Assert.Empty(Store.LookupView(LensNames.Consensus, france with { Objects = [StemeValue.Null] }));
        Assert.Empty(Store.ScanAssertions(KeyFilter.All with { Objects = [StemeValue.Integer(2)] }));
        Assert.Equal(0, Store.Count(StoreRelation.View, france with { Objects = [StemeValue.Null] }, LensNames.Consensus));
        Assert.Equal([hashes[0], hashes[4]], Store.ScanAssertions(france).Select(a => a.Assertion.Hash));
    }

    [Fact]
    public void Statistics_of_a_large_store_are_computed_in_the_background_and_guessed_meanwhile()
    {
        int n = (int)EmbeddedStore.SynchronousDistinctLimit + 1000;
        Store.WriteVisible([.. Enumerable.Range(0, n).Select(i => (WriteOperation)new AssertOperation(
            new Assertion("s" + (i % 1000), "p" + (i % 7), StemeValue.Integer(i), "", "agent" + (i % 3))))]);
        var first = Store.Statistics;
        Assert.Equal(n, first.Assertions);
        Assert.Equal(Lsn.None, first.DistinctAsOfLsn);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        var stats = first;
        while (stats.DistinctAsOfLsn == Lsn.None && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(20);
            stats = Store.Statistics;
        }
        Assert.Equal(n, stats.DistinctAsOfLsn);
        Assert.Equal((1000L, 7L, 3L), (stats.DistinctSubjects, stats.DistinctPredicates, stats.DistinctAgents));
        Assert.Equal(7000, stats.Sets);
    }

    [Fact]
    public void Objects_match_by_exact_typed_value_including_empty_ones()
    {
        var values = new[] { StemeValue.Text(""), StemeValue.Bytes([]), StemeValue.Integer(0), StemeValue.Real(0.0), StemeValue.Boolean(false), StemeValue.Text("0") };
        var lsns = values.Select((v, i) => Store.Assert(A("s" + i, "p", v)).Lsn).ToList();
        for (int i = 0; i < values.Length; i++)
        {
            var keys = new KeyFilter(null, ["p"]) { Objects = [values[i]] };
            Assert.Equal([lsns[i]], Store.ScanAssertions(keys).Select(a => a.Lsn));
            Assert.Equal(["s" + i], Store.LookupView(LensNames.Consensus, keys).Select(r => r.Winner.Assertion.Subject));
            Assert.Equal(1, Store.Count(StoreRelation.View, keys, LensNames.Recency));
        }
    }

    [Fact]
    public void Count_counts_without_reading_rows_and_honours_every_key()
    {
        var hashes = Seed();
        Assert.Equal(5, Store.Count(StoreRelation.Assertions, KeyFilter.All));
        Assert.Equal(3, Store.Count(StoreRelation.Votes, KeyFilter.All));
        Assert.Equal(5, Store.Count(StoreRelation.View, KeyFilter.All, LensNames.Consensus));
        Assert.Equal(4, Store.Count(StoreRelation.View, new KeyFilter(null, ["capital_of"]), LensNames.Recency));
        Assert.Equal(2, Store.Count(StoreRelation.Votes, KeyFilter.ForAgents(["bob"])));
        Assert.Equal(1, Store.Count(StoreRelation.Votes, KeyFilter.ForHashes([hashes[4]])));
        Assert.Equal(2, Store.Count(StoreRelation.Assertions, KeyFilter.All with { MaxLsn = 2 }));
        Assert.Equal(2, Store.Count(StoreRelation.Assertions, KeyFilter.ForAgents(["alice"]) with { Limit = 1, Descending = true }));
        Assert.Equal(0, Store.Count(StoreRelation.Assertions, KeyFilter.ForAgents([])));
        Assert.Throws<StemeException>(() => Store.Count(StoreRelation.View, KeyFilter.All, "skeptic"));
        Assert.Throws<ArgumentNullException>(() => Store.Count(StoreRelation.View, KeyFilter.All));
        // The ledger counts follow new writes.
        Store.Assert(A("madrid", "capital_of", "spain"));
        Store.Vote(hashes[3], "erin");
        Assert.Equal(6, Store.Count(StoreRelation.Assertions, KeyFilter.All));
        Assert.Equal(4, Store.Count(StoreRelation.Votes, KeyFilter.All));
    }

    [Fact]
    public void Statistics_give_a_view_size_for_every_materialized_lens_and_no_other()
    {
        _test.Reopen(EmbeddedStoreOptions.Default with { Lenses = [.. EmbeddedStoreOptions.Default.Lenses, EarliestLens.Instance] });
        Seed();
        var views = Store.Statistics.ViewRows;
        Assert.Equal([LensNames.Consensus, "earliest", LensNames.Recency], views.Keys.Order(StringComparer.Ordinal));
        Assert.All(views.Values, rows => Assert.Equal(5, rows));
    }

    [Fact]
    public void Statistics_give_the_ledger_counts_the_distinct_keys_and_the_view_sizes()
    {
        var empty = Store.Statistics;
        Assert.Equal((0L, 0L, 0L), (empty.Assertions, empty.Votes, empty.Sets));
        Seed();
        var stats = Store.Statistics;
        Assert.Equal(5, stats.Assertions);
        Assert.Equal(3, stats.Votes);
        Assert.Equal(8, stats.IngestedLsn);
        Assert.Equal(5, stats.Sets);
        Assert.Equal(4, stats.DistinctSubjects);
        Assert.Equal(2, stats.DistinctPredicates);
        Assert.Equal(4, stats.DistinctAgents);
        Assert.Equal(8, stats.DistinctAsOfLsn);
        Assert.Equal(5, stats.ViewRows[LensNames.Consensus]);
        Assert.Equal(5, stats.ViewRows[LensNames.Recency]);
        // The counts survive reopening (they are counted from the tables, not kept in memory only).
        _test.Reopen();
        Store.Assert(A("madrid", "capital_of", "spain", "erin"));
        stats = Store.Statistics;
        Assert.Equal((6L, 3L, 9L), (stats.Assertions, stats.Votes, stats.IngestedLsn));
        Assert.Equal((6L, 5L, 5L), (stats.Sets, stats.DistinctSubjects, stats.DistinctAgents));
    }
}
