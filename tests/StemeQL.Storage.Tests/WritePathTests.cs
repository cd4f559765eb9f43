using StemeQL.Core.Model;
using StemeQL.Storage.Abstractions;
using StemeQL.Storage.Embedded;
using StemeQL.Storage.Journal;
using StemeQL.Storage.Tests.Journal;
using StemeQL.Storage.Tests.Support;
using static StemeQL.Storage.Tests.Support.Writes;

namespace StemeQL.Storage.Tests;

/// <summary>The journal-first write path seen through the store: durability, recovery, watermarks, fail-stop.</summary>
[Collection(TimingSensitiveCollection.Name)]
public sealed class WritePathTests : IDisposable
{
    private readonly TempFolder _folder = new();

    private EmbeddedStore Open(EmbeddedStoreOptions? options = null) => EmbeddedStore.Open(_folder.Path, options ?? EmbeddedStoreOptions.Default);

    private static List<ContentHash> WriteHistory(IEpistemeStore store, int assertions)
    {
        var hashes = new List<ContentHash>();
        for (int i = 0; i < assertions; i++)
        {
            var a = A("s" + (i % 3), "p", StemeValue.Integer(i % 4), "agent" + (i % 5), confidence: (i % 10) / 10.0);
            var outcomes = store.Write([new AssertOperation(a), new VoteOperation(new Vote(a.Hash, "voter" + (i % 2), 0.5))]);
            hashes.Add(((AssertOutcome)outcomes[0]).Hash);
        }
        return hashes;
    }

    [Fact]
    public void Acknowledged_writes_survive_a_crash_before_ingestion()
    {
        List<ContentHash> hashes;
        using (var store = Open(EmbeddedStoreOptions.Default with { IngestorPaused = true }))
        {
            hashes = WriteHistory(store, 40);
            var status = store.Status;
            Assert.Equal(80, status.DurableLsn);
            Assert.Equal(0, status.MaterializedLsn);
            Assert.Equal(80, status.LagLsns);
        }

        using var reopened = Open();
        var after = reopened.Status;
        Assert.Equal((80L, 80L, 80L), (after.DurableLsn, after.IngestedLsn, after.MaterializedLsn));
        Assert.All(hashes, h => Assert.True(reopened.Contains(h)));
        Assert.Equal(40, reopened.ScanVotes(null).Count());
        ReferenceLens.AssertViewsMatch(reopened, [("s0", "p"), ("s1", "p"), ("s2", "p")], "after replay");
    }

    [Fact]
    public void Writes_continue_after_recovery_with_the_next_lsn()
    {
        using (var store = Open(EmbeddedStoreOptions.Default with { IngestorPaused = true }))
            WriteHistory(store, 5);
        using var reopened = Open();
        var outcome = reopened.Assert(A("new", "p", "o"));
        Assert.Equal(11, outcome.Lsn);
    }

    [Fact]
    public void A_write_is_visible_once_the_materialized_watermark_reaches_it()
    {
        using var store = Open();
        var outcome = (AssertOutcome)store.Write([new AssertOperation(A("a", "p", "o"))])[0];
        store.WaitForMaterialized(outcome.Lsn, CancellationToken.None);
        var status = store.Status;
        Assert.True(status.MaterializedLsn >= outcome.Lsn);
        Assert.Equal(status.DurableLsn, status.IngestedLsn);
        Assert.Null(status.Failure);
        Assert.True(status.LogFiles >= 1);
        Assert.Single(store.LookupView("consensus", Key("a", "p")));
    }

    [Fact]
    public void Waiting_for_the_views_honours_cancellation()
    {
        using var store = Open(EmbeddedStoreOptions.Default with { IngestorPaused = true });
        store.Write([new AssertOperation(A("a", "p", "o"))]);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        Assert.ThrowsAny<OperationCanceledException>(() => store.WaitForMaterialized(1, cancel.Token));
    }

    [Fact]
    public void Applied_journal_segments_are_recycled()
    {
        using var store = Open(EmbeddedStoreOptions.Default with { Journal = new JournalOptions { SegmentBytes = 4096 } });
        WriteHistory(store, 300);
        store.WaitForMaterialized(store.LastLsn, CancellationToken.None);
        // Release happens after materialization; the newest segment stays active.
        SpinWait.SpinUntil(() => store.Status.LogFiles <= 2, TimeSpan.FromSeconds(30));
        Assert.InRange(store.Status.LogFiles, 1, 2);
        Assert.InRange(Directory.GetFiles(Path.Combine(_folder.Path, "journal")).Length, 1, 2);
    }

    [Fact]
    public void A_journal_segment_is_deleted_only_once_the_store_has_fsynced_every_write_in_it()
    {
        // The store commits without fsync (SQLite's synchronous = NORMAL), so a power cut could lose
        // its newest commits; the journal must keep a segment until the store's copy is on disk.
        var disk = new FaultyJournalFileSystem();
        var released = new List<(long LastLsn, long DurableInStore)>();
        EmbeddedStore? store = null;
        disk.BeforeDelete = path =>
        {
            string journal = Path.GetDirectoryName(path)!;
            var names = Directory.GetFiles(journal).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
            JournalFormat.TryParseSegmentName(names[names.IndexOf(Path.GetFileName(path)) + 1]!, out long nextFirst);
            released.Add((nextFirst - 1, store!.DurableInStoreLsn));
        };
        store = Open(EmbeddedStoreOptions.Default with { FileSystem = disk, Journal = new JournalOptions { SegmentBytes = 4096 } });
        using (store)
        {
            WriteHistory(store, 300);
            store.WaitForMaterialized(store.LastLsn, CancellationToken.None);
            SpinWait.SpinUntil(() => store.Status.LogFiles <= 2, TimeSpan.FromSeconds(30));
        }

        Assert.NotEmpty(released);
        Assert.All(released, r => Assert.True(r.DurableInStore >= r.LastLsn,
            $"a segment reaching LSN {r.LastLsn} was deleted when the store was durable only to LSN {r.DurableInStore}"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void An_injected_journal_failure_stops_the_store_and_loses_nothing_acknowledged(bool failSync)
    {
        var disk = new FaultyJournalFileSystem();
        var acknowledged = new List<ContentHash>();
        var store = Open(EmbeddedStoreOptions.Default with { FileSystem = disk });
        try
        {
            for (int i = 0; i < 5; i++) acknowledged.Add(store.Assert(A("ok" + i, "p", "o")).Hash);
            if (failSync) disk.FailSync(); else disk.FailAppend();

            var failed = A("lost", "p", "o");
            var error = Assert.Throws<StemeException>(() => store.Write([new AssertOperation(failed)]));
            Assert.Equal(StemeErrorCode.StorageFailure, error.ErrorCode);
            var again = Assert.Throws<StemeException>(() => store.Write([new AssertOperation(A("later", "p", "o"))]));
            Assert.Equal(StemeErrorCode.StorageFailure, again.ErrorCode);
            Assert.NotNull(store.Status.Failure);
            Assert.Equal(0, disk.AppendsAfterFailure);
        }
        finally
        {
            store.Dispose();
        }

        using var reopened = Open();
        Assert.All(acknowledged, h => Assert.True(reopened.Contains(h)));
        Assert.False(reopened.Contains(A("later", "p", "o").Hash));
        Assert.Equal(5, reopened.ScanAssertions(KeyFilter.All).Count(a => a.Assertion.Subject.StartsWith("ok", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_deferred_write_is_sequenced_at_once_and_its_task_completes_when_durable()
    {
        // A slow fsync keeps the first write in flight while the second is sequenced behind it.
        var disk = new FaultyJournalFileSystem { SyncDelay = TimeSpan.FromMilliseconds(50) };
        using var store = Open(EmbeddedStoreOptions.Default with { FileSystem = disk });
        var first = store.WriteDeferred([new AssertOperation(A("a", "p", "o")), new AssertOperation(A("b", "p", "o"))]);
        var second = store.WriteDeferred([new AssertOperation(A("a", "p", "o")), new VoteOperation(new Vote(A("b", "p", "o").Hash, "bob", 0.5))]);

        var firstOutcomes = (await first).Cast<AssertOutcome>().ToArray();
        Assert.Equal([(1L, true), (2L, true)], firstOutcomes.Select(o => (o.Lsn, o.Created)));
        var secondOutcomes = await second;
        Assert.Equal((1L, false), (secondOutcomes[0].Lsn, ((AssertOutcome)secondOutcomes[0]).Created));
        Assert.Equal(3, secondOutcomes[1].Lsn);
        Assert.Equal(3, store.LastLsn);
    }

    [Fact]
    public async Task A_deferred_write_that_cannot_be_made_durable_faults_and_stops_the_store()
    {
        var disk = new FaultyJournalFileSystem();
        using var store = Open(EmbeddedStoreOptions.Default with { FileSystem = disk });
        store.Assert(A("ok", "p", "o"));
        disk.FailSync();

        var write = store.WriteDeferred([new AssertOperation(A("lost", "p", "o"))]);
        var error = await Assert.ThrowsAsync<StemeException>(() => write);
        Assert.Equal(StemeErrorCode.StorageFailure, error.ErrorCode);
        // Refused when called, not through the task: the store has stopped.
        var refused = Assert.Throws<StemeException>(() => { _ = store.WriteDeferred([new AssertOperation(A("later", "p", "o"))]); });
        Assert.Equal(StemeErrorCode.StorageFailure, refused.ErrorCode);
        Assert.Throws<ArgumentNullException>(() => { _ = store.WriteDeferred(null!); });
    }

    [Fact]
    public void A_read_only_store_reads_what_the_writer_ingested_and_refuses_writes()
    {
        using var writer = Open();
        writer.Assert(A("a", "p", "o"));
        using var reader = EmbeddedStore.OpenReadOnly(_folder.Path);
        Assert.True(reader.IsReadOnly);
        Assert.Single(reader.ScanAssertions(KeyFilter.All));
        Assert.True(reader.Status.ReadOnly);
        Assert.Equal(1, reader.Status.MaterializedLsn);
        var error = Assert.Throws<StemeException>(() => reader.Write([new AssertOperation(A("b", "p", "o"))]));
        Assert.Equal(StemeErrorCode.ReadOnly, error.ErrorCode);
    }

    [Fact]
    public void Read_only_open_of_a_missing_database_is_a_clear_error()
    {
        var error = Assert.Throws<StemeException>(() => EmbeddedStore.OpenReadOnly(Path.Combine(_folder.Path, "nothing")));
        Assert.Equal(StemeErrorCode.StorageFailure, error.ErrorCode);
        Assert.Contains("no StemeQL database", error.Message);
    }

    [Fact]
    public void Concurrent_writers_share_group_commits()
    {
        var disk = new FaultyJournalFileSystem { SyncDelay = TimeSpan.FromMilliseconds(2) };
        using var store = Open(EmbeddedStoreOptions.Default with { FileSystem = disk });
        int syncsBefore = disk.Syncs;
        // Real threads, started together: a cold thread pool would run only a couple of writers, and
        // two writers pipeline (one syncs while the other queues) rather than share a sync.
        using var start = new Barrier(16);
        var threads = Enumerable.Range(0, 16).Select(t => new Thread(() =>
        {
            start.SignalAndWait();
            for (int i = 0; i < 50; i++) store.Write([new AssertOperation(A($"t{t}", "p", StemeValue.Integer(i)))]);
        })).ToList();
        threads.ForEach(thread => thread.Start());
        threads.ForEach(thread => thread.Join());
        Assert.Equal(800, store.LastLsn);
        Assert.True(disk.Syncs - syncsBefore < 800, $"{disk.Syncs - syncsBefore} fsyncs for 800 writes");
        store.WaitForMaterialized(800, CancellationToken.None);
        Assert.Equal(800, store.ScanAssertions(KeyFilter.All).Select(a => a.Lsn).Distinct().Count());
    }

    [Fact]
    public void A_momentary_lock_on_the_database_makes_the_ingestor_wait_not_fail()
    {
        using var store = Open();
        store.Assert(A("before", "p", "o"));
        // Another connection holds SQLite's write lock for a moment, as a checkpoint or a tool might.
        using (var other = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(_folder.Path, EmbeddedStore.DatabaseFileName)};Pooling=False"))
        {
            other.Open();
            using (var begin = other.CreateCommand())
            {
                begin.CommandText = "BEGIN IMMEDIATE";
                begin.ExecuteNonQuery();
            }
            store.Write([new AssertOperation(A("during", "p", "o"))]);
            Thread.Sleep(300);
            using var rollback = other.CreateCommand();
            rollback.CommandText = "ROLLBACK";
            rollback.ExecuteNonQuery();
        }
        store.WaitForMaterialized(store.LastLsn, CancellationToken.None);
        Assert.Null(store.Status.Failure);
        Assert.True(store.Contains(A("during", "p", "o").Hash));
        Assert.Single(store.LookupView("consensus", Key("during", "p")));
    }

    public void Dispose() => _folder.Dispose();
}
