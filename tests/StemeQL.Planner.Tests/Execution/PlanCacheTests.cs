using StemeQL.Planner.Execution;
using StemeQL.Planner.Plans;

namespace StemeQL.Planner.Tests.Execution;

public sealed class PlanCacheTests
{
    [Fact]
    public void Prepare_reuses_the_cached_plan_for_the_same_text()
    {
        var cache = new PlanCache(8);
        using var session = Session.Open(":memory:", "alice", cache);
        const string text = "SELECT object FROM assertions USING LENS consensus WHERE subject = @s AND predicate = 'p'";

        var first = session.Prepare(text);
        var second = session.Prepare(text);

        Assert.Same(first, second);
        Assert.Equal(1, cache.Hits);
        var query = Assert.IsType<PreparedQuery>(Assert.Single(first));
        Assert.Equal(AccessPath.MaterializedViewLookup, query.Plan.Access);
    }

    [Fact]
    public void Cache_evicts_the_least_recently_used_text_beyond_its_capacity()
    {
        var cache = new PlanCache(2);
        using var session = Session.Open(":memory:", "alice", cache);
        var a = session.Prepare("SELECT subject FROM assertions");
        session.Prepare("SELECT agent FROM assertions");
        session.Prepare("SELECT subject FROM assertions");   // a is now the most recent
        session.Prepare("SELECT lsn FROM assertions");       // evicts the agent query

        Assert.Equal(2, cache.Count);
        Assert.Same(a, session.Prepare("SELECT subject FROM assertions"));
        long hits = cache.Hits;
        session.Prepare("SELECT agent FROM assertions");
        Assert.Equal(hits, cache.Hits);
    }

    [Fact]
    public void Errors_are_not_cached()
    {
        var cache = new PlanCache(8);
        using var session = Session.Open(":memory:", "alice", cache);
        Assert.Throws<StemeException>(() => session.Prepare("SELECT colour FROM assertions"));
        Assert.Throws<StemeException>(() => session.Prepare("SELECT colour FROM assertions"));
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void Cache_evicts_by_estimated_bytes_before_it_reaches_its_entry_capacity()
    {
        var cache = new PlanCache(512, maxBytes: 1 << 20);
        using var session = Session.Open(":memory:", "alice", cache);
        // 40 distinct commands of about 20,000 characters: ~320 KB each by the estimate, 12.8 MB in all.
        for (int i = 0; i < 40; i++)
            session.Prepare($"SELECT subject FROM assertions WHERE subject = '{new string((char)('a' + i % 26), 20_000)}{i}'");
        Assert.InRange(cache.Bytes, 1, 1 << 20);
        Assert.InRange(cache.Count, 1, 3);
    }

    [Fact]
    public void Cache_does_not_keep_a_text_larger_than_its_byte_bound()
    {
        var cache = new PlanCache(512, maxBytes: 64 << 10);
        using var session = Session.Open(":memory:", "alice", cache);
        string text = $"SELECT subject FROM assertions WHERE subject = '{new string('x', 10_000)}'";
        session.Prepare("SELECT subject FROM assertions");
        session.Prepare(text);
        Assert.Equal(1, cache.Count);
        Assert.NotSame(session.Prepare(text), session.Prepare(text));
    }
}
