using StemeQL.Storage.Abstractions;
using StemeQL.Storage.Embedded;
using StemeQL.Storage.Tests.Support;
using static StemeQL.Storage.Tests.Support.Writes;

namespace StemeQL.Storage.Tests;

/// <summary>
/// The ingestor paces its transactions (<see cref="EmbeddedStoreOptions.MinApplyInterval"/>) while nobody waits
/// for the views, and stops pacing at once for a reader that waits, a writer held by back-pressure, or closing.
/// An interval of an hour makes "at once" unmistakable.
/// </summary>
[Collection(TimingSensitiveCollection.Name)]
public sealed class IngestorPacingTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(1);
    private readonly TempFolder _folder = new();

    private EmbeddedStore Open(int maxBacklog = 400_000) =>
        EmbeddedStore.Open(_folder.Path, EmbeddedStoreOptions.Default with { MinApplyInterval = TimeSpan.FromHours(1), MaxBacklogOps = maxBacklog });

    // The first write after opening is applied without delay; waiting for it also starts the interval.
    private static void WriteFirst(EmbeddedStore store)
    {
        store.Write([new AssertOperation(A("first", "p", "o"))]);
        using var guard = new CancellationTokenSource(Patience);
        store.WaitForMaterialized(1, guard.Token);
    }

    // A second write, left long enough for the ingestor to be pacing (not merely woken by the write) before anyone waits.
    private static async Task WriteSecond(EmbeddedStore store)
    {
        store.Write([new AssertOperation(A("second", "p", "o"))]);
        await Task.Delay(300);
    }

    [Fact]
    public async Task A_write_within_the_interval_waits_while_nobody_waits_for_the_views()
    {
        using var store = Open();
        WriteFirst(store);

        await WriteSecond(store);

        Assert.Equal((2L, 1L), (store.Status.DurableLsn, store.Status.MaterializedLsn));
    }

    [Fact]
    public async Task A_reader_that_waits_for_the_views_is_served_without_waiting_out_the_interval()
    {
        using var store = Open();
        WriteFirst(store);
        await WriteSecond(store);

        using var guard = new CancellationTokenSource(Patience);
        store.WaitForMaterialized(2, guard.Token);

        Assert.Equal(2, store.Status.MaterializedLsn);
    }

    [Fact]
    public async Task An_async_reader_that_waits_for_the_views_is_served_without_waiting_out_the_interval()
    {
        using var store = Open();
        WriteFirst(store);
        await WriteSecond(store);

        await store.WaitForMaterializedAsync(2, CancellationToken.None).WaitAsync(Patience);

        Assert.Equal(2, store.Status.MaterializedLsn);
    }

    [Fact]
    public async Task A_writer_held_by_back_pressure_is_not_kept_waiting_for_the_interval()
    {
        using var store = Open(maxBacklog: 5);
        WriteFirst(store);

        var writes = Task.Run(() =>
        {
            for (int i = 0; i < 20; i++) store.Write([new AssertOperation(A("s" + i, "p", "o"))]);
        });
        await writes.WaitAsync(Patience);

        Assert.Equal(21, store.Status.DurableLsn);
        Assert.InRange(store.Status.MaterializedLsn, 21 - 5 - 1, 21);
    }

    [Fact]
    public async Task Closing_applies_what_is_durable_without_waiting_out_the_interval()
    {
        var store = Open();
        WriteFirst(store);
        await WriteSecond(store);

        await Task.Run(store.Dispose).WaitAsync(Patience);

        // Read-only: it replays nothing, so it shows what the closing store applied.
        using var reopened = EmbeddedStore.OpenReadOnly(_folder.Path);
        Assert.Equal(2, reopened.Status.MaterializedLsn);
    }

    public void Dispose() => _folder.Dispose();
}
