using StemeQL.Core.Model;
using StemeQL.Storage.Abstractions;
using StemeQL.Storage.Embedded;
using StemeQL.Storage.Tests.Support;
using static StemeQL.Storage.Tests.Support.Writes;

namespace StemeQL.Storage.Tests;

/// <summary>
/// While a backlog waits in memory, the ingestor's decoder thread decodes the oldest frames ahead of the chunk being
/// applied. Whatever it decoded ahead is applied in LSN order with the frames after it, and dropped (read back from
/// the journal instead) when the backlog outgrows memory. A hold on the ingestor builds the backlog without timing;
/// the integrity check then folds the ledger again and compares every view row.
/// </summary>
[Collection(TimingSensitiveCollection.Name)]
public sealed class IngestorDecodeAheadTests : IDisposable
{
    private const int PerWrite = 500;
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(1);
    private readonly TempFolder _folder = new();

    private EmbeddedStore Open(int maxQueued) => EmbeddedStore.Open(_folder.Path, EmbeddedStoreOptions.Default with
    {
        ApplyBatchOps = 1_000,
        CatchUpBatchOps = 10_000,
        MaxQueuedOps = maxQueued,
        MaxBacklogOps = 1_000_000,
        MinApplyInterval = TimeSpan.Zero,
    });

    // Votes by seven agents on three targets, with weights that change, so a vote applied out of order would leave
    // a different current vote (and tally) than the ledger's fold.
    private static IEnumerable<IReadOnlyList<WriteOperation>> Writes(IReadOnlyList<Assertion> targets, int votes)
    {
        for (int first = 0; first < votes; first += PerWrite)
        {
            yield return [.. Enumerable.Range(first, PerWrite).Select(i =>
                new VoteOperation(new Vote(targets[i % targets.Count].Hash, "voter" + (i % 7), (i % 11) / 10.0)))];
        }
    }

    private static Assertion[] Targets(EmbeddedStore store)
    {
        Assertion[] targets = [A("t", "p", "o1"), A("t", "p", "o2"), A("u", "p", "o")];
        store.WriteVisible([.. targets.Select(t => new AssertOperation(t))]);
        return targets;
    }

    [Fact]
    public void Frames_decoded_ahead_are_applied_in_order_with_the_frames_after_them()
    {
        using var store = Open(maxQueued: 1_000_000);
        var targets = Targets(store);
        using (store.HoldMaterialization())
        {
            foreach (var write in Writes(targets, 40_000)) store.Write(write);
            // The decoder works while the applier is held: at least its first step of frames is decoded ahead.
            Assert.True(SpinWait.SpinUntil(() => store.DecodedAheadOps >= 4_096, Patience), "nothing was decoded ahead");
        }
        using var guard = new CancellationTokenSource(Patience);
        store.WaitForMaterialized(store.LastLsn, guard.Token);

        Assert.Equal(40_003, store.Status.MaterializedLsn);
        Assert.Empty(store.CheckIntegrity(repair: false, null, CancellationToken.None).Problems);
    }

    [Fact]
    public void Frames_decoded_ahead_are_dropped_with_the_queue_when_the_backlog_outgrows_memory()
    {
        // 20,000 queued at most: the decoder has decoded some ahead by then, and the rest of the 60,000 is read back.
        using var store = Open(maxQueued: 20_000);
        var targets = Targets(store);
        using (store.HoldMaterialization())
        {
            foreach (var write in Writes(targets, 60_000))
            {
                store.Write(write);
                if (store.LastLsn == 10_003)
                    Assert.True(SpinWait.SpinUntil(() => store.DecodedAheadOps >= 4_096, Patience), "nothing was decoded ahead");
            }
        }
        using var guard = new CancellationTokenSource(Patience);
        store.WaitForMaterialized(store.LastLsn, guard.Token);

        Assert.Equal(60_003, store.Status.MaterializedLsn);
        Assert.Empty(store.CheckIntegrity(repair: false, null, CancellationToken.None).Problems);
    }

    public void Dispose() => _folder.Dispose();
}
