using StemeQL.Storage.Abstractions;
using StemeQL.Storage.Embedded;
using StemeQL.Storage.Tests.Support;
using static StemeQL.Storage.Tests.Support.Writes;

namespace StemeQL.Storage.Tests;

/// <summary>
/// Waiting for the views to reach an LSN: free when they already have, woken when they do, and with the
/// ingestor held where a test needs a write kept out of them.
/// </summary>
public sealed class WaitForMaterializedTests : IDisposable
{
    private readonly TempFolder _folder = new();

    [Fact]
    public void WaitForMaterialized_allocates_nothing_when_the_views_are_caught_up()
    {
        using var store = EmbeddedStore.Open(_folder.Path);
        store.Write([new AssertOperation(A("a", "p", "o"))]);
        store.WaitForMaterialized(1, CancellationToken.None);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        for (int i = 0; i < 10; i++) store.WaitForMaterialized(1, timeout.Token); // warm up (JIT)

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++) store.WaitForMaterialized(1, timeout.Token);
        var done = store.WaitForMaterializedAsync(1, timeout.Token);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.True(done.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task WaitForMaterializedAsync_completes_once_the_held_ingestor_applies_the_write()
    {
        using var store = EmbeddedStore.Open(_folder.Path);
        Task waiting;
        using (store.HoldMaterialization())
        {
            store.Write([new AssertOperation(A("a", "p", "o"))]);
            waiting = store.WaitForMaterializedAsync(1, CancellationToken.None);
            Assert.False(waiting.IsCompleted);
            Assert.Equal((1L, 0L), (store.Status.DurableLsn, store.Status.MaterializedLsn));
        }
        await waiting.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.True(store.Status.MaterializedLsn >= 1);
    }

    [Fact]
    public async Task WaitForMaterializedAsync_is_cancelled_while_the_ingestor_is_held()
    {
        using var store = EmbeddedStore.Open(_folder.Path);
        using var hold = store.HoldMaterialization();
        store.Write([new AssertOperation(A("a", "p", "o"))]);
        using var cancel = new CancellationTokenSource();
        var waiting = store.WaitForMaterializedAsync(1, cancel.Token);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
    }

    [Fact]
    public void A_read_only_instance_waits_for_the_writers_materialized_watermark()
    {
        using var writer = EmbeddedStore.Open(_folder.Path);
        writer.Write([new AssertOperation(A("a", "p", "o"))]);
        writer.WaitForMaterialized(1, CancellationToken.None);
        using var reader = EmbeddedStore.OpenReadOnly(_folder.Path);

        reader.WaitForMaterialized(1, CancellationToken.None);
        using (writer.HoldMaterialization())
        {
            writer.Write([new AssertOperation(A("b", "p", "o"))]);
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
            Assert.ThrowsAny<OperationCanceledException>(() => reader.WaitForMaterialized(2, cancel.Token));
        }
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        reader.WaitForMaterialized(2, guard.Token);
    }

    public void Dispose() => _folder.Dispose();
}
