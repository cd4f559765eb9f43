using StemeQL.Core.Model;
using StemeQL.Storage.Abstractions;
using StemeQL.Storage.Embedded;
using StemeQL.Storage.Tests.Support;
using static StemeQL.Storage.Tests.Support.Writes;

namespace StemeQL.Storage.Tests;

/// <summary>
/// Back-pressure: a writer that outruns the materializer waits once more than
/// <see cref="EmbeddedStoreOptions.MaxBacklogOps"/> operations are written but not in the views.
/// </summary>
[Collection(TimingSensitiveCollection.Name)]
public sealed class BackPressureTests : IDisposable
{
    private readonly TempFolder _folder = new();

    private EmbeddedStore Open(int maxBacklog) =>
        EmbeddedStore.Open(_folder.Path, EmbeddedStoreOptions.Default with { MaxBacklogOps = maxBacklog });

    [Fact]
    public async Task Write_waits_while_the_backlog_is_over_the_bound_and_goes_on_once_the_views_catch_up()
    {
        using var store = Open(maxBacklog: 10);
        Task<IReadOnlyList<WriteOutcome>> second;
        using (store.HoldMaterialization())
        {
            store.Write([.. Enumerable.Range(0, 11).Select(i => new AssertOperation(A("s" + i, "p", "o")))]);
            second = Task.Run(() => store.Write([new AssertOperation(A("late", "p", "o"))]));
            await Task.Delay(300);
            Assert.False(second.IsCompleted);
            Assert.Equal(11, store.Status.DurableLsn);
        }
        var outcome = await second.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.Equal(12, ((AssertOutcome)outcome[0]).Lsn);
    }

    [Fact]
    public async Task A_write_held_by_back_pressure_ends_when_its_token_is_cancelled_and_writes_nothing()
    {
        using var store = Open(maxBacklog: 10);
        using (store.HoldMaterialization())
        {
            store.Write([.. Enumerable.Range(0, 11).Select(i => new AssertOperation(A("s" + i, "p", "o")))]);
            using var cancel = new CancellationTokenSource();
            var held = Task.Run(() => store.Write([new AssertOperation(A("late", "p", "o"))], cancel.Token));
            await Task.Delay(300);
            Assert.False(held.IsCompleted);
            await cancel.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => held.WaitAsync(TimeSpan.FromMinutes(1)));
            Assert.Equal(11, store.Status.DurableLsn);
        }
        // Nothing of the cancelled write was sequenced: the next write takes the LSN it would have had.
        var outcome = store.Write([new AssertOperation(A("after", "p", "o"))]);
        Assert.Equal(12, ((AssertOutcome)outcome[0]).Lsn);
        Assert.False(store.Contains(A("late", "p", "o").Hash));
    }

    [Fact]
    public void A_writer_faster_than_the_views_keeps_the_backlog_within_the_bound_and_one_batch()
    {
        const int bound = 1_000, batch = 100;
        using var store = Open(bound);
        var targets = Enumerable.Range(0, 10).Select(i => A("t" + i, "p", "o")).ToList();
        store.Write([.. targets.Select(t => new AssertOperation(t))]);
        long worst = 0;
        for (int round = 0; round < 300; round++)
        {
            store.Write([.. Enumerable.Range(0, batch).Select(i =>
                new VoteOperation(new Vote(targets[i % targets.Count].Hash, "voter" + (i % 7), (round % 10) / 10.0)))]);
            var status = store.Status;
            worst = Math.Max(worst, status.DurableLsn - status.MaterializedLsn);
        }
        Assert.InRange(worst, 0, bound + batch);
    }

    public void Dispose() => _folder.Dispose();
}
