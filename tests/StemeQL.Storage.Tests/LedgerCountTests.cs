using StemeQL.Storage.Abstractions;
using StemeQL.Storage.Embedded;
using StemeQL.Storage.Tests.Support;
using static StemeQL.Storage.Tests.Support.Writes;

namespace StemeQL.Storage.Tests;

// The planner reads the statistics on every uncached plan; a store that has not grown since its last
// count answers from memory, and every write after it is still counted.
public sealed class LedgerCountTests : IDisposable
{
    private readonly TestStore _test = new();

    private EmbeddedStore Store => _test.Store;

    public void Dispose() => _test.Dispose();

    [Fact]
    public void Statistics_count_every_write_made_after_an_earlier_count()
    {
        Assert.Equal((0L, 0L), (Store.Statistics.Assertions, Store.Statistics.Votes));
        Assert.Equal(0L, Store.Statistics.Assertions);
        var hash = Store.Assert(A("paris", "capital_of", "france", "alice")).Hash;
        Assert.Equal((1L, 0L), (Store.Statistics.Assertions, Store.Statistics.Votes));
        Store.Vote(hash, "bob");
        Assert.Equal((1L, 1L), (Store.Statistics.Assertions, Store.Statistics.Votes));
        Assert.Equal(1, Store.Count(StoreRelation.Votes, KeyFilter.All));
    }
}
