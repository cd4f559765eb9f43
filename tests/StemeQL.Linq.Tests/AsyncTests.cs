using StemeQL.Linq.Tests.Support;

namespace StemeQL.Linq.Tests;

/// <summary>The asynchronous operators and IAsyncEnumerable, with cancellation.</summary>
[Collection("linq")]
public sealed class AsyncTests(Databases databases)
{
    [Fact]
    public async Task The_newcomer_query_runs_as_one_statement()
    {
        using var db = new StemeConnection("Data Source=:memory:;Agent=alice");
        await db.OpenAsync();
        using (var assert = new StemeCommand("ASSERT ('paris', 'capital_of', 'france'), ('paris', 'population', 2100000)", db)) await assert.ExecuteNonQueryAsync();
        string city = "paris";
        var fact = await db.Assertions().UsingLens(Lens.Consensus).Where(a => a.Subject == city && a.Predicate == "capital_of")
            .Select(a => new { a.Object, a.Confidence }).FirstAsync();
        Assert.Equal("france", fact.Object);
        Assert.Equal(1.0, fact.Confidence);
        Assert.Equal(2100000L, await db.Assertions().Where(a => a.Predicate == "population").Select(a => a.ObjectAs<long>()).SingleAsync());
    }

    [Theory]
    [MemberData(nameof(Databases.Seeds), MemberType = typeof(Databases))]
    public async Task Async_operators_agree_with_their_synchronous_forms(int seed)
    {
        var db = databases.For(seed);
        var q = db.Reader.Assertions().Where(a => a.Lsn > 3);
        Assert.NotEmpty(q.ToList());
        Assert.Equal(q.ToList(), await q.ToListAsync());
        Assert.Equal(q.ToArray(), await q.ToArrayAsync());
        Assert.Equal(q.Count(), await q.CountAsync());
        Assert.Equal(q.LongCount(), await q.LongCountAsync());
        Assert.Equal(q.Count(a => a.Agent == "bob"), await q.CountAsync(a => a.Agent == "bob"));
        Assert.Equal(q.OrderBy(a => a.Lsn).First(), await q.OrderBy(a => a.Lsn).FirstAsync());
        Assert.Equal(q.First(a => a.Agent == "alice"), await q.FirstAsync(a => a.Agent == "alice"));
        Assert.Null(await q.FirstOrDefaultAsync(a => a.Agent == "nobody"));
        Assert.True(await q.AnyAsync());
        Assert.False(await q.AllAsync(a => a.Lsn > 1000));
        Assert.Equal(q.Sum(a => a.Lsn), await q.SumAsync(a => a.Lsn));
        Assert.Equal(q.Average(a => a.Lsn), await q.AverageAsync(a => a.Lsn));
        Assert.Equal(q.Max(a => a.Subject), await q.MaxAsync(a => a.Subject));
        Assert.Equal(q.Min(a => a.Lsn), await q.MinAsync(a => a.Lsn));
        await Assert.ThrowsAsync<InvalidOperationException>(() => q.SingleAsync());
    }

    [Fact]
    public async Task AsAsyncEnumerable_streams_into_the_async_linq_operators()
    {
        var db = databases.For(2);
        var expected = db.Ledger.Where(a => a.Agent == "alice").Select(a => a.Lsn).Where(l => l % 2 == 1).ToList();
        Assert.NotEmpty(expected);
        var actual = await db.Reader.Assertions().Where(a => a.Agent == "alice").Select(a => a.Lsn).AsAsyncEnumerable()
            .Where(l => l % 2 == 1).ToListAsync();
        Assert.Equal(expected, actual);
        int seen = 0;
        await foreach (var row in db.Reader.Votes().AsAsyncEnumerable()) seen++;
        Assert.Equal(db.VoteRows.Count, seen);
    }

    [Fact]
    public async Task A_cancelled_token_stops_the_query()
    {
        var db = databases.For(1);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => db.Reader.Assertions().ToListAsync(cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => db.Reader.Assertions().CountAsync(cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var row in db.Reader.Assertions().AsAsyncEnumerable().WithCancellation(cancelled.Token)) { }
        });
    }
}
