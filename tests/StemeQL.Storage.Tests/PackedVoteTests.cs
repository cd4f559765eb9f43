using Microsoft.Data.Sqlite;
using StemeQL.Core.Model;
using StemeQL.Storage.Abstractions;
using StemeQL.Storage.Embedded;
using StemeQL.Storage.Tests.Support;
using StemeQL.TestSupport;
using static StemeQL.Storage.Tests.Support.Writes;

namespace StemeQL.Storage.Tests;

/// <summary>
/// Votes indexed by target and by agent through packed rows (schema version 7, offsets since 8, <see cref="PackedVoteIndex"/>):
/// reads across many ingest chunks, the migrations from versions 6 and 7, replay after a crash, and the integrity check.
/// </summary>
public sealed class PackedVoteTests : IDisposable
{
    // Small chunks, so that every key's votes are spread over many packed rows.
    private static readonly EmbeddedStoreOptions SmallChunks = EmbeddedStoreOptions.Default with { ApplyBatchOps = 7, CatchUpBatchOps = 7 };

    private static readonly string[] Agents = ["ann", "bob", "cy"];

    private readonly TestStore _test = new(SmallChunks);

    private EmbeddedStore Store => _test.Store;

    private string DatabasePath => Path.Combine(_test.Folder, EmbeddedStore.DatabaseFileName);

    public void Dispose() => _test.Dispose();

    // Four targets; 120 votes, written a few at a time, each on a target and by an agent picked by its number.
    private List<ContentHash> WriteVotes(EmbeddedStore store, int votes = 120, int first = 0)
    {
        var targets = Enumerable.Range(0, 4).Select(i => store.Assert(A("s" + (i % 2), "p", "o" + i)).Hash).ToList();
        for (int i = first; i < first + votes; i += 3)
        {
            store.Write([.. Enumerable.Range(i, 3).Select(n => new VoteOperation(new Vote(targets[n * 7 % 4], Agents[n * 5 % 3], 0.5)))]);
        }
        store.WaitForMaterialized(store.LastLsn, CancellationToken.None);
        return targets;
    }

    // What every read of votes must agree with: the ledger in LSN order, filtered in memory.
    private List<StoredVote> All() => [.. Store.ScanVotesOn(KeyFilter.All)];

    [Fact]
    public void Votes_spread_over_many_chunks_read_by_target_and_by_agent_in_lsn_order_with_as_of_cuts()
    {
        var targets = WriteVotes(Store);
        var all = All();
        Assert.Equal(120, all.Count);
        Assert.True(Scalar("SELECT count(*) FROM vote_agents") > 10, "the votes should span many chunks");
        long middle = all[60].Lsn;
        foreach (var key in targets.Select(h => KeyFilter.ForHashes([h])).Concat(Agents.Select(g => KeyFilter.ForAgents([g])))
                     .Append(KeyFilter.ForAgents(["ann", "cy"])).Append(KeyFilter.ForHashes([targets[0], targets[3]])).Append(new KeyFilter(["s1"], null)))
        {
            bool Matches(StoredVote v) => (key.Hashes is null || key.Hashes.Contains(v.Assertion)) && (key.Agents is null || key.Agents.Contains(v.Agent))
                && (key.Subjects is null || targets.IndexOf(v.Assertion) % 2 == 1);
            var expected = all.Where(Matches).Select(v => v.Lsn).ToList();
            Assert.NotEmpty(expected);
            Assert.Equal(expected, Store.ScanVotesOn(key).Select(v => v.Lsn));
            Assert.Equal(expected.Where(l => l <= middle), Store.ScanVotesOn(key, maxLsn: middle).Select(v => v.Lsn));
            Assert.Equal(expected.Where(l => l >= middle), Store.ScanVotesOn(key with { MinLsn = middle }).Select(v => v.Lsn));
            Assert.Equal(Enumerable.Reverse(expected).Take(5), Store.ScanVotesOn(key with { Descending = true, Limit = 5 }).Select(v => v.Lsn));
            Assert.Equal(Enumerable.Reverse(expected.Where(l => l <= middle)).Take(3),
                Store.ScanVotesOn(key with { Descending = true, Limit = 3, MaxLsn = middle }).Select(v => v.Lsn));
            Assert.Equal(expected.Take(4), Store.ScanVotesOn(key with { Limit = 4 }).Select(v => v.Lsn));
            Assert.Equal(expected.Count, Store.Count(StoreRelation.Votes, key));
            Assert.Equal(expected.Count(l => l <= middle), Store.Count(StoreRelation.Votes, key with { MaxLsn = middle }));
        }
        Assert.Empty(Store.CheckIntegrity(repair: false, null, CancellationToken.None).Problems);
    }

    [Fact]
    public void Votes_counted_by_agent_equal_the_ledger_grouped_by_agent()
    {
        var targets = WriteVotes(Store);
        var all = All();
        long middle = all[60].Lsn;
        foreach (var key in new[] { KeyFilter.All, KeyFilter.All with { MaxLsn = middle }, KeyFilter.All with { MinLsn = middle }, KeyFilter.ForAgents(["bob", "cy"]),
                     KeyFilter.ForHashes([targets[1]]), KeyFilter.ForAgents(["ann"]) with { Hashes = [targets[2]], MaxLsn = middle } })
        {
            var expected = all.Where(v => (key.Agents is null || key.Agents.Contains(v.Agent)) && (key.Hashes is null || key.Hashes.Contains(v.Assertion))
                    && v.Lsn >= key.MinLsn && v.Lsn <= key.MaxLsn)
                .GroupBy(v => v.Agent).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => (g.Key, (long)g.Count()));
            Assert.Equal(expected, Store.CountBy(StoreRelation.Votes, key, GroupColumn.Agent).Select(c => (c.Key, c.Count)).OrderBy(c => c.Key, StringComparer.Ordinal));
        }
    }

    [Fact]
    public void A_packed_row_lists_its_votes_as_offsets_from_its_first_lsn()
    {
        _test.Reopen(EmbeddedStoreOptions.Default);
        var target = Store.Assert(A("s", "p", "o")).Hash;
        Store.WriteVisible([.. Enumerable.Range(0, 3).Select(_ => new VoteOperation(new Vote(target, "ann", 1)))]);
        long first = All()[0].Lsn;
        Assert.True(first > 1, "the assertion comes first");
        Assert.Equal(first, Scalar("SELECT first_lsn FROM vote_agents"));
        Assert.Equal("[0,1,2]", ScalarValue("SELECT lsns FROM vote_agents"));
        Assert.Equal("[0,1,2]", ScalarValue("SELECT lsns FROM vote_targets"));
    }

    [Fact]
    public void A_key_with_more_votes_in_a_chunk_than_a_row_holds_gets_several_rows()
    {
        using var store = new TestStore();
        var target = store.Store.Assert(A("s", "p", "o")).Hash;
        int votes = PackedVoteIndex.MaxLsnsPerRow * 2 + 5;
        store.Store.WriteVisible([.. Enumerable.Range(0, votes).Select(_ => new VoteOperation(new Vote(target, "ann", 1)))]);
        var expected = store.Store.ScanVotesOn(KeyFilter.All).Select(v => v.Lsn).ToList();
        Assert.Equal(expected, store.Store.ScanVotesOn(KeyFilter.ForAgents(["ann"])).Select(v => v.Lsn));
        Assert.Equal(Enumerable.Reverse(expected).Take(2), store.Store.ScanVotesOn(KeyFilter.ForHashes([target]) with { Descending = true, Limit = 2 }).Select(v => v.Lsn));
        Assert.Empty(store.Store.CheckIntegrity(repair: false, null, CancellationToken.None).Problems);
    }

    [Theory]
    [InlineData(6, SchemaDowngrades.ToVersion6)]
    [InlineData(7, SchemaDowngrades.ToVersion7)]
    public void An_older_store_migrates_and_reads_the_same_votes_by_target_and_by_agent(long version, string downgrade)
    {
        var targets = WriteVotes(Store);
        var keys = targets.Select(h => KeyFilter.ForHashes([h])).Concat(Agents.Select(g => KeyFilter.ForAgents([g]))).ToList();
        var before = keys.Select(k => Store.ScanVotesOn(k).ToList()).ToList();
        Store.Dispose();
        Sql(downgrade);
        Assert.Equal(version, Scalar("PRAGMA user_version"));

        _test.Reopen();
        Assert.Equal((long)Schema.Version, Scalar("PRAGMA user_version"));
        Assert.Equal(0L, Scalar("SELECT count(*) FROM sqlite_master WHERE name IN ('votes_assertion', 'votes_agent')"));
        Assert.Equal(before, keys.Select(k => Store.ScanVotesOn(k).ToList()));
        Assert.Empty(Store.CheckIntegrity(repair: false, null, CancellationToken.None).Problems);
        // New chunks add rows after the migrated ones, still in LSN order.
        Store.WriteVisible([new VoteOperation(new Vote(targets[0], "ann", 1))]);
        Assert.Equal(All().Where(v => v.Agent == "ann").Select(v => v.Lsn), Store.ScanVotesOn(KeyFilter.ForAgents(["ann"])).Select(v => v.Lsn));
        Assert.Empty(Store.CheckIntegrity(repair: false, null, CancellationToken.None).Problems);
    }

    [Fact]
    public void A_migration_whose_rebuild_spans_several_bins_reads_every_vote_once_in_lsn_order()
    {
        _test.Reopen(EmbeddedStoreOptions.Default);
        var targets = Enumerable.Range(0, 3).Select(i => Store.Assert(A("s" + i, "p", "o")).Hash).ToList();
        int votes = (1 << PackedVoteIndex.RebuildBinBits) * 2 + 1_000;
        Store.WriteVisible([.. Enumerable.Range(0, votes).Select(n => new VoteOperation(new Vote(targets[n % 3], Agents[n % 2], 0.5)))]);
        var all = All();
        Store.Dispose();
        Sql(SchemaDowngrades.ToVersion6);

        _test.Reopen();
        Assert.Equal((long)Schema.Version, Scalar("PRAGMA user_version"));
        Assert.Equal(all.Select(v => v.Lsn), Store.ScanVotesOn(KeyFilter.ForAgents([Agents[0], Agents[1]])).Select(v => v.Lsn));
        foreach (var target in targets)
            Assert.Equal(all.Where(v => v.Assertion == target).Select(v => v.Lsn), Store.ScanVotesOn(KeyFilter.ForHashes([target])).Select(v => v.Lsn));
        Assert.Equal(Enumerable.Reverse(all).Where(v => v.Agent == Agents[1]).Take(3).Select(v => v.Lsn),
            Store.ScanVotesOn(KeyFilter.ForAgents([Agents[1]]) with { Descending = true, Limit = 3 }).Select(v => v.Lsn));
        Assert.Empty(Store.CheckIntegrity(repair: false, null, CancellationToken.None).Problems);
    }

    [Fact]
    public void Replay_after_a_crash_before_ingestion_writes_packed_rows_equal_to_the_ledger()
    {
        Store.Dispose();
        var paused = SmallChunks with { IngestorPaused = true };
        _test.Reopen(paused);
        WriteVotesUnapplied(Store);
        Assert.Equal(0L, Scalar("SELECT count(*) FROM vote_targets"));

        // Closing a paused store leaves the journal unapplied, as a crash would; the next open replays it.
        _test.Reopen(SmallChunks);
        Store.WaitForMaterialized(Store.LastLsn, CancellationToken.None);
        Assert.Equal(120, All().Count);
        Assert.Equal(Scalar("SELECT count(*) FROM votes"), Scalar("SELECT count(*) FROM vote_targets k, json_each(k.lsns)"));
        Assert.Equal(Scalar("SELECT count(*) FROM votes"), Scalar("SELECT count(*) FROM vote_agents k, json_each(k.lsns)"));
        Assert.Empty(Store.CheckIntegrity(repair: false, null, CancellationToken.None).Problems);
    }

    private static void WriteVotesUnapplied(EmbeddedStore store)
    {
        var targets = Enumerable.Range(0, 4).Select(i => new Assertion("s" + i, "p", StemeValue.Text("o"), "", "alice", null, 1)).ToList();
        store.Write([.. targets.Select(t => new AssertOperation(t))]);
        for (int i = 0; i < 120; i += 3)
            store.Write([.. Enumerable.Range(i, 3).Select(n => new VoteOperation(new Vote(targets[n % 4].Hash, Agents[n % 3], 0.5)))]);
    }

    [Theory]
    [InlineData("UPDATE vote_agents SET lsns = json_remove(lsns, '$[#-1]') WHERE first_lsn = (SELECT min(first_lsn) FROM vote_agents WHERE json_array_length(lsns) > 1)", "not listed under its agent")]
    [InlineData("UPDATE vote_agents SET lsns = json_remove(lsns, '$[0]') WHERE first_lsn = (SELECT min(first_lsn) FROM vote_agents WHERE json_array_length(lsns) > 1)", "not at its first LSN")]
    [InlineData("UPDATE vote_targets SET assertion_lsn = assertion_lsn + 1 WHERE first_lsn = (SELECT max(first_lsn) FROM vote_targets)", "whose target LSN is")]
    [InlineData("UPDATE vote_agents SET lsns = 'not json' WHERE first_lsn = (SELECT min(first_lsn) FROM vote_agents)", "is not a JSON array")]
    [InlineData("UPDATE vote_targets SET lsns = json_insert(lsns, '$[#]', json_extract(lsns, '$[0]')) WHERE first_lsn = (SELECT min(first_lsn) FROM vote_targets)", "out of order or twice")]
    [InlineData("UPDATE vote_targets SET lsns = json_insert(lsns, '$[#]', 999999) WHERE first_lsn = (SELECT min(first_lsn) FROM vote_targets)", "which is not a vote")]
    // Rows starting past the newest vote or before the first LSN: the check's LSN-ordered pass still counts them.
    [InlineData("UPDATE vote_agents SET first_lsn = first_lsn + 1000000 WHERE first_lsn = (SELECT max(first_lsn) FROM vote_agents)", "which is not a vote")]
    [InlineData("UPDATE vote_targets SET first_lsn = -first_lsn WHERE first_lsn = (SELECT min(first_lsn) FROM vote_targets)", "which is not a vote")]
    public void The_integrity_check_reports_a_damaged_packed_row_and_repair_rebuilds_it(string damage, string detail)
    {
        WriteVotes(Store);
        var expected = Agents.Select(g => Store.ScanVotesOn(KeyFilter.ForAgents([g])).Select(v => v.Lsn).ToList()).ToList();
        // first_lsn is unique across a table (each LSN is one vote's), so each statement damages one row.
        Sql(damage);

        var report = Store.CheckIntegrity(repair: false, null, CancellationToken.None);
        Assert.Contains(report.Problems, p => p.Kind == IntegrityKinds.VoteIndex && p.Detail.Contains(detail, StringComparison.Ordinal));
        Assert.All(report.Problems, p => Assert.Equal(IntegrityKinds.VoteIndex, p.Kind));

        var repaired = Store.CheckIntegrity(repair: true, null, CancellationToken.None);
        Assert.True(repaired.ViewsRebuilt);
        Assert.Empty(Store.CheckIntegrity(repair: false, null, CancellationToken.None).Problems);
        Assert.Equal(expected, Agents.Select(g => Store.ScanVotesOn(KeyFilter.ForAgents([g])).Select(v => v.Lsn).ToList()));
    }

    private void Sql(string sql)
    {
        SqliteRuntime.EnsureInitialised();
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ToString());
        connection.Open();
        SqliteRuntime.Execute(connection, sql);
    }

    private long Scalar(string sql) => (long)ScalarValue(sql);

    private object ScalarValue(string sql)
    {
        SqliteRuntime.EnsureInitialised();
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ToString());
        connection.Open();
        return SqliteRuntime.Scalar(connection, sql)!;
    }
}
