using Microsoft.Data.Sqlite;
using StemeQL.Core.Model;
using StemeQL.Storage.Abstractions;
using StemeQL.Storage.Embedded;
using StemeQL.Storage.Tests.Support;
using static StemeQL.Storage.Tests.Support.Writes;

namespace StemeQL.Storage.Tests;

/// <summary>
/// The WAL is copied into <c>store.db</c> on a thread of its own (<see cref="WalCheckpointer"/>), not in
/// the ingestor's commits; a long catch-up still keeps the WAL within its bound, and a reader holding
/// an old snapshot does not hold the ingestor up.
/// </summary>
[Collection(TimingSensitiveCollection.Name)]
public sealed class WalCheckpointTests : IDisposable
{
    private const int Votes = 120_000, PerWrite = 1_000;

    private readonly TempFolder _folder = new();

    private string WalFile => Path.Combine(_folder.Path, EmbeddedStore.DatabaseFileName + "-wal");

    // Small chunks (many commits back to back) and a large backlog, so one release of the hold is a
    // long catch-up with no pause between commits.
    private EmbeddedStore Open() => EmbeddedStore.Open(_folder.Path, EmbeddedStoreOptions.Default with
    {
        ApplyBatchOps = 1_000,
        CatchUpBatchOps = 1_000,
        MaxBacklogOps = 1_000_000,
        MaxQueuedOps = 1_000_000,
        WalRestartFrames = 64,
    });

    private static void CatchUp(EmbeddedStore store)
    {
        var targets = Enumerable.Range(0, 100).Select(i => A("t" + i, "p", "o")).ToList();
        store.WriteVisible([.. targets.Select(t => new AssertOperation(t))]);
        using (store.HoldMaterialization())
        {
            for (int first = 0; first < Votes; first += PerWrite)
            {
                store.Write([.. Enumerable.Range(first, PerWrite).Select(i =>
                    new VoteOperation(new Vote(targets[i % targets.Count].Hash, "voter" + (i % 13), (i % 10) / 10.0)))]);
            }
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        store.WaitForMaterialized(store.LastLsn, timeout.Token);
    }

    [Fact]
    public void A_long_catch_up_keeps_the_wal_near_its_restart_bound()
    {
        using var store = Open();
        CatchUp(store);
        // The file keeps its largest size: 64 frames of about 4 KiB plus the few commits (of about 200
        // frames each) in flight; without the restarts it measured 9-40 MB here (1.7 MB with them).
        Assert.InRange(new FileInfo(WalFile).Length, 0, 4 * 1024 * 1024);
    }

    [Fact]
    public void Ingestion_goes_on_while_a_reader_holds_an_old_snapshot()
    {
        using var store = Open();
        using var reader = new SqliteConnection($"Data Source={Path.Combine(_folder.Path, EmbeddedStore.DatabaseFileName)};Mode=ReadOnly;Pooling=False");
        reader.Open();
        using var snapshot = reader.BeginTransaction();
        using (var count = reader.CreateCommand())
        {
            count.CommandText = "SELECT count(*) FROM votes";
            Assert.Equal(0L, count.ExecuteScalar());
        }
        CatchUp(store);
        Assert.Equal((long)Votes, store.Status.MaterializedLsn - 100);
    }

    [Fact]
    public void A_pass_copies_the_wal_once_it_has_grown_by_the_pass_size()
    {
        Assert.True(DatabaseGrowsWhileOpen(passFrames: 10));
    }

    [Fact]
    public void No_pass_runs_while_the_wal_has_grown_by_less_than_the_pass_size()
    {
        Assert.False(DatabaseGrowsWhileOpen(passFrames: 1_000_000));
    }

    // Writes a few hundred frames' worth and watches store.db, which only a checkpoint pass writes to
    // while the store is open (closing copies the rest).
    private bool DatabaseGrowsWhileOpen(int passFrames)
    {
        using var store = EmbeddedStore.Open(_folder.Path, EmbeddedStoreOptions.Default with { WalPassFrames = passFrames });
        string database = Path.Combine(_folder.Path, EmbeddedStore.DatabaseFileName);
        long before = new FileInfo(database).Length;
        for (int i = 0; i < 20; i++)
            store.WriteVisible([.. Enumerable.Range(0, 200).Select(j => new AssertOperation(A("s" + i + "." + j, "p", "o" + j)))]);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (DateTime.UtcNow < deadline)
        {
            if (new FileInfo(database).Length > before) return true;
            Thread.Sleep(20);
        }
        return false;
    }

    public void Dispose() => _folder.Dispose();
}
