using System.Collections.Concurrent;
using StemeQL.Core.Model;
using StemeQL.Storage.Abstractions;
using StemeQL.Storage.Postgres;
using StemeQL.Storage.Tests.Backends;
using StemeQL.Storage.Tests.Support;
using static StemeQL.Storage.Tests.Support.Writes;

namespace StemeQL.Storage.Tests;

public abstract class ConcurrencyTests(StoreBackend backend) : IDisposable
{
    private const int Threads = 8;
    private const int WritesPerThread = 200;

    private readonly IBackendStore _test = backend.Create();

    public void Dispose() => _test.Dispose();

    [Fact]
    public async Task Many_threads_writing_at_once_get_distinct_lsns_and_a_consistent_view()
    {
        var store = _test.Store;
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
                    _ = store.LookupView("consensus", KeyFilter.All).Count();
                    _ = store.ScanVotesOn(new KeyFilter(["s0"], null)).Count();
                }
            }
            catch (Exception error)
            {
                readErrors.Enqueue(error);
            }
        })).ToArray();

        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, thread =>
        {
            var random = new Random(thread);
            var mine = new List<ContentHash>();
            WriteRandomly(store, thread, WritesPerThread, lsns);
        });
        stop.Cancel();
        await Task.WhenAll(readers);

        Assert.Empty(readErrors);
        Assert.Equal(lsns.Count, lsns.Distinct().Count());
        Assert.Equal(lsns.Count, store.LastLsn);
        Assert.Equal(Enumerable.Range(1, lsns.Count).Select(i => (long)i), lsns.Order());
        ReferenceLens.AssertViewsMatch(store, [("s0", "p"), ("s1", "p"), ("s2", "p")], "after concurrent writes");
    }

    /// <summary>Random assertions and votes on three sets by one writer; adds the LSN of each new assertion and vote to <paramref name="lsns"/>.</summary>
    internal static void WriteRandomly(IEpistemeStore store, int writer, int writes, ConcurrentBag<long> lsns)
    {
        var random = new Random(writer);
        var mine = new List<ContentHash>();
        for (int i = 0; i < writes; i++)
        {
            if (mine.Count == 0 || random.Next(2) == 0)
            {
                var outcome = store.Assert(A("s" + random.Next(3), "p", StemeValue.Integer(random.Next(4)), "agent" + writer, random.Next(5) / 4.0));
                if (outcome.Created) lsns.Add(outcome.Lsn);
                mine.Add(outcome.Hash);
            }
            else
            {
                lsns.Add(store.Vote(mine[random.Next(mine.Count)], "voter" + writer, random.Next(5) / 4.0));
            }
        }
    }
}

/// <summary>The concurrency suite on the embedded store.</summary>
public sealed class EmbeddedConcurrencyTests() : ConcurrencyTests(StoreBackend.Embedded);

/// <summary>The concurrency suite on PostgreSQL, and writers that share nothing but the database.</summary>
public sealed class PostgresConcurrencyTests() : ConcurrencyTests(StoreBackend.Postgres)
{
    [Fact]
    public void Independent_store_instances_writing_to_one_database_get_gapless_lsns_and_views_equal_to_the_lenses()
    {
        // Each instance has its own Npgsql pool, as two processes would: they meet only in the database.
        using var schema = new PostgresBackend.TestSchema();
        var stores = Enumerable.Range(0, 3).Select(_ => PostgresStore.Open(schema.ConnectionString)).ToList();
        try
        {
            var lsns = new ConcurrentBag<long>();
            Parallel.For(0, 6, new ParallelOptions { MaxDegreeOfParallelism = 6 }, writer => WriteRandomly(stores[writer % stores.Count], writer, 120, lsns));

            Assert.Equal(Enumerable.Range(1, lsns.Count).Select(i => (long)i), lsns.Order());
            foreach (var store in stores)
            {
                Assert.Equal(lsns.Count, store.LastLsn);
                ReferenceLens.AssertViewsMatch(store, [("s0", "p"), ("s1", "p"), ("s2", "p")], "after writes from independent instances");
            }
            Assert.True(stores[0].CheckIntegrity(repair: false, null, CancellationToken.None).IsSound);
        }
        finally
        {
            foreach (var store in stores) store.Dispose();
        }
    }
}
