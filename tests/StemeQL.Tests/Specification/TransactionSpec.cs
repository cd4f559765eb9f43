namespace StemeQL.Tests.Specification;

/// <summary>StemeTransaction as the ADO.NET specification describes a DbTransaction.</summary>
public sealed class TransactionSpec : SpecFixture
{
    [Fact]
    public void Commit_throws_ObjectDisposedException_after_Dispose()
    {
        var transaction = Connection.BeginTransaction();
        transaction.Dispose();
        Assert.Throws<ObjectDisposedException>(() => transaction.Commit());
    }

    [Fact]
    public void Rollback_throws_ObjectDisposedException_after_Dispose()
    {
        var transaction = Connection.BeginTransaction();
        transaction.Dispose();
        Assert.Throws<ObjectDisposedException>(() => transaction.Rollback());
    }

    [Fact]
    public void Commit_throws_InvalidOperationException_after_Commit()
    {
        using var transaction = Connection.BeginTransaction();
        transaction.Commit();
        Assert.Throws<InvalidOperationException>(() => transaction.Commit());
    }

    [Fact]
    public void Dispose_twice_does_nothing_the_second_time()
    {
        var transaction = Connection.BeginTransaction();
        transaction.Dispose();
        transaction.Dispose();
        Assert.Null(transaction.Connection);
    }

    [Fact]
    public void Dispose_without_Commit_writes_nothing()
    {
        using (var transaction = Connection.BeginTransaction())
        {
            new StemeCommand("ASSERT ('s', 'p', 'o')", Connection, transaction).ExecuteNonQuery();
        }
        Assert.Equal(0, CountAssertions());
    }

    [Fact]
    public async Task CommitAsync_returns_a_cancelled_task_for_a_cancelled_token()
    {
        using var transaction = Connection.BeginTransaction();
        var task = transaction.CommitAsync(Cancelled);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
        Assert.True(task.IsCanceled);
    }
}
