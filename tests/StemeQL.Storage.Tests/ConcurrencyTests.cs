using System.Collections.Concurrent;
using StemeQL.Core.Model;
using StemeQL.Storage.Abstractions;
using StemeQL.Storage.Embedded;
using StemeQL.Storage.Tests.Support;
using static StemeQL.Storage.Tests.Support.Writes;

namespace StemeQL.Storage.Tests;

public sealed class ConcurrencyTests : IDisposable
{
    private const int Threads = 8;
    private const int WritesPerThread = 200;

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Many_threads_writing_at_once_get_distinct_lsns_and_a_consistent_view()
    {
        using var lease = StoreRegistry.Acquire(_folder.Path);
        var lsns = new ConcurrentBag<long>();
        using var stop = new CancellationTokenSource();
        var readErrors = new ConcurrentQueue<Exception>();
        // Readers run beside the writers the whole time, on their own connections.
        var readers = Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    _ = lease.Store.LookupView("consensus", KeyFilter.All).Count();
                    _ = lease.Store.ScanVotesOn(new KeyFilter(["s0"], null)).Count();
                }
            }
            catch (Exception error)
            {
                readErrors.Enqueue(error);
            }
        })).ToArray();

        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, thread =>
        {
            // Each thread leases the folder itself, as each connection would.
            using var own = StoreRegistry.Acquire(_folder.Path);
            var random = new Random(thread);
            var mine = new List<ContentHash>();
            for (int i = 0; i < WritesPerThread; i++)
            {
                if (mine.Count == 0 || random.Next(2) == 0)
                {
                    var outcome = own.Store.Assert(A("s" + random.Next(3), "p", StemeValue.Integer(random.Next(4)), "agent" + thread, random.Next(5) / 4.0));
                    if (outcome.Created) lsns.Add(outcome.Lsn);
                    mine.Add(outcome.Hash);
                }
                else
                {
                    lsns.Add(own.Store.Vote(mine[random.Next(mine.Count)], "voter" + thread, random.Next(5) / 4.0));
                }
            }
        });
        stop.Cancel();
        await Task.WhenAll(readers);

        Assert.Empty(readErrors);
        Assert.Equal(lsns.Count, lsns.Distinct().Count());
        Assert.Equal(lsns.Count, lease.Store.LastLsn);
        Assert.Equal(Enumerable.Range(1, lsns.Count).Select(i => (long)i), lsns.Order());
        ReferenceLens.AssertViewsMatch(lease.Store, [("s0", "p"), ("s1", "p"), ("s2", "p")], "after concurrent writes");
    }
}
