using StemeQL.Core.Model;
using StemeQL.Storage.Abstractions;
using StemeQL.Storage.Embedded;
using StemeQL.Storage.Tests.Support;
using static StemeQL.Storage.Tests.Support.Writes;

namespace StemeQL.Storage.Tests;

/// <summary>
/// The ingestor applies what is queued <see cref="EmbeddedStoreOptions.ApplyBatchOps"/> at a time while it keeps up,
/// and up to <see cref="EmbeddedStoreOptions.CatchUpBatchOps"/> at a time once a backlog has built up (more than twice
/// the former queued, or read back from the journal), so a backlog costs fewer, larger transactions. A hold on the
/// ingestor builds the backlog without timing; the views end equal whatever the chunking.
/// </summary>
[Collection(TimingSensitiveCollection.Name)]
public sealed class IngestorChunkSizeTests : IDisposable
{
    private const int PerWrite = 500;
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(1);
    private readonly TempFolder _folder = new();

    private EmbeddedStore Open(int maxQueued = 1_000_000) => EmbeddedStore.Open(_folder.Path, EmbeddedStoreOptions.Default with
    {
        ApplyBatchOps = 1_000,
        CatchUpBatchOps = 10_000,
        MaxQueuedOps = maxQueued,
        MaxBacklogOps = 1_000_000,
        MinApplyInterval = TimeSpan.Zero,
    });

    // Queues `votes` votes behind a hold, then lets the ingestor work them off; returns the chunks it took.
    private static long ChunksFor(EmbeddedStore store, int votes)
    {
        var target = A("t", "p", "o");
        store.WriteVisible([new AssertOperation(target)]);
        long before = store.IngestorChunks;
        using (store.HoldMaterialization())
        {
            for (int first = 0; first < votes; first += PerWrite)
                store.Write([.. Enumerable.Range(first, PerWrite).Select(i => new VoteOperation(new Vote(target.Hash, "voter" + (i % 7), 0.5)))]);
        }
        using var guard = new CancellationTokenSource(Patience);
        store.WaitForMaterialized(store.LastLsn, guard.Token);
        return store.IngestorChunks - before;
    }

    [Fact]
    public void A_backlog_of_more_than_twice_the_chunk_is_applied_in_catch_up_chunks()
    {
        using var store = Open();

        long chunks = ChunksFor(store, 40_000);

        // 40,000 votes: 4 chunks of 10,000 (5 if a write lands after the first chunk was taken), not 40 of 1,000.
        Assert.InRange(chunks, 4, 5);
        Assert.Equal(40_001, store.Status.MaterializedLsn);
    }

    [Fact]
    public void A_queue_under_twice_the_chunk_is_applied_a_chunk_at_a_time()
    {
        using var store = Open();

        long chunks = ChunksFor(store, 1_500);

        Assert.Equal(2, chunks);
    }

    [Fact]
    public void A_backlog_read_back_from_the_journal_is_applied_in_catch_up_chunks()
    {
        // 5,000 queued at most: the rest is dropped from memory and read back from the journal.
        using var store = Open(maxQueued: 5_000);

        long chunks = ChunksFor(store, 40_000);

        Assert.InRange(chunks, 4, 6);
        Assert.Equal(40_001, store.Status.MaterializedLsn);
    }

    public void Dispose() => _folder.Dispose();
}
