using StemeQL.Core.Model;
using StemeQL.Storage.Abstractions;
using StemeQL.Storage.Embedded;
using StemeQL.Storage.Tests.Support;
using static StemeQL.Storage.Tests.Support.Writes;

namespace StemeQL.Storage.Tests;

/// <summary>
/// The write path answers "is this assertion new?" from a filter of the ledger's hashes once one is
/// built. A false "new" would give stored content a second LSN, so these tests re-assert old content
/// while filters are built and grown and check it always keeps its first LSN.
/// </summary>
public sealed class StoredHashFilterTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static WriteOperation[] Asserting(IEnumerable<Assertion> assertions) =>
        assertions.Select(a => (WriteOperation)new AssertOperation(a)).ToArray();

    private static Assertion[] Numbered(int from, int count) =>
        Enumerable.Range(from, count).Select(i => A("entity" + i, "p" + i % 7, "value " + i)).ToArray();

    private static async Task<HashFilter> ReadyFilter(EmbeddedStore store)
    {
        while (true)
        {
            var (ready, scan) = store.HashFilter;
            await scan.WaitAsync(TimeSpan.FromSeconds(30));
            if (ready is not null && store.HashFilter.Scan.IsCompleted) return store.HashFilter.Ready!;
            await Task.Delay(10);
        }
    }

    [Fact]
    public async Task After_reopening_stored_content_is_found_and_keeps_its_lsn()
    {
        var stored = Numbered(0, 3_000);
        Dictionary<ContentHash, long> lsns;
        using (var store = EmbeddedStore.Open(_folder.Path))
            lsns = store.Write(Asserting(stored)).Cast<AssertOutcome>().ToDictionary(o => o.Hash, o => o.Lsn);

        using (var store = EmbeddedStore.Open(_folder.Path))
        {
            var filter = await ReadyFilter(store);
            Assert.All(stored, a => Assert.True(filter.MightContain(a.Hash)));

            var again = store.Write(Asserting(stored.Concat(Numbered(3_000, 10)))).Cast<AssertOutcome>().ToArray();
            Assert.All(again.Take(3_000), o => Assert.Equal((false, lsns[o.Hash]), (o.Created, o.Lsn)));
            Assert.All(again.Skip(3_000), o => Assert.True(o.Created));
            Assert.All(stored.Take(100), a => Assert.False(store.Assert(a).Created));
        }
    }

    [Fact]
    public async Task Filters_grown_while_writes_go_on_miss_nothing()
    {
        var options = EmbeddedStoreOptions.Default with { HashFilterMinCapacity = 16 };
        var random = new Random(7);
        var written = new List<Assertion>();
        var lsns = new Dictionary<ContentHash, long>();
        using (var store = EmbeddedStore.Open(_folder.Path, options))
        {
            for (int round = 0; round < 20; round++)
            {
                var fresh = Numbered(round * 400, 400);
                // Old content re-asserted in the same write as new content, while filters build and grow.
                var old = Enumerable.Range(0, Math.Min(written.Count, 200)).Select(_ => written[random.Next(written.Count)]).ToArray();
                var outcomes = store.Write(Asserting(old.Concat(fresh))).Cast<AssertOutcome>().ToArray();
                Assert.All(outcomes.Take(old.Length), o => Assert.Equal((false, lsns[o.Hash]), (o.Created, o.Lsn)));
                Assert.All(outcomes.Skip(old.Length), o => Assert.True(o.Created));
                foreach (var o in outcomes.Skip(old.Length)) lsns[o.Hash] = o.Lsn;
                written.AddRange(fresh);
                if (round % 5 == 4) store.WaitForMaterialized(store.LastLsn, CancellationToken.None);
            }
            var filter = await ReadyFilter(store);
            Assert.True(filter.Capacity >= 16 * 2, $"the filter grew: capacity {filter.Capacity}");
            Assert.All(written, a => Assert.True(filter.MightContain(a.Hash)));
            var again = store.Write(Asserting(written)).Cast<AssertOutcome>().ToArray();
            Assert.All(again, o => Assert.Equal((false, lsns[o.Hash]), (o.Created, o.Lsn)));
        }
        using (var store = EmbeddedStore.Open(_folder.Path, options))
        {
            // Before the reopened store's filter is ready, lookups go to SQLite; after, to the filter.
            Assert.All(written.Take(50), a => Assert.False(store.Assert(a).Created));
            await ReadyFilter(store);
            Assert.All(written.TakeLast(50), a => Assert.False(store.Assert(a).Created));
            Assert.Equal(8_000, store.CountAssertions(KeyFilter.All));
        }
    }
}
