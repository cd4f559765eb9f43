using System.Transactions;

namespace StemeQL.Tests.Specification;

/// <summary>Enlistment in an ambient System.Transactions scope (Enlist=true by default).</summary>
public sealed class TransactionScopeSpec : SpecFixture
{
    private StemeConnection OpenNew(string extra = "")
    {
        var connection = new StemeConnection(Database.ConnectionString("scoped") + extra);
        connection.Open();
        return connection;
    }

    private static void Write(StemeConnection connection, string subject) =>
        new StemeCommand($"ASSERT ('{subject}', 'p', 'o')", connection).ExecuteNonQuery();

    [Fact]
    public void A_scope_not_completed_writes_nothing()
    {
        using (new TransactionScope())
        {
            using var connection = OpenNew();
            Write(connection, "a");
        }
        Assert.Equal(0, CountAssertions());
    }

    [Fact]
    public void A_completed_scope_writes()
    {
        using (var scope = new TransactionScope())
        {
            using var connection = OpenNew();
            Write(connection, "a");
            Write(connection, "b");
            scope.Complete();
        }
        Assert.Equal(2, CountAssertions());
    }

    [Fact]
    public void A_completed_scope_writes_when_the_connection_is_still_open_at_its_end()
    {
        using var connection = new StemeConnection(Database.ConnectionString("scoped"));
        using (var scope = new TransactionScope())
        {
            connection.Open();
            Write(connection, "a");
            scope.Complete();
        }
        Assert.Equal(1, CountAssertions());
        Assert.True(connection.LastWriteLsn > 0);
    }

    [Fact]
    public void A_scope_not_completed_drops_the_writes_of_a_connection_still_open()
    {
        using var connection = new StemeConnection(Database.ConnectionString("scoped"));
        using (new TransactionScope())
        {
            connection.Open();
            Write(connection, "a");
        }
        Assert.Equal(0, CountAssertions());
        Write(connection, "after");
        Assert.Equal(1, CountAssertions());
    }

    [Fact]
    public void Enlist_false_writes_at_once_whatever_the_scope_does()
    {
        using (new TransactionScope())
        {
            using var connection = OpenNew(";Enlist=false");
            Write(connection, "a");
        }
        Assert.Equal(1, CountAssertions());
    }

    [Fact]
    public void BeginTransaction_throws_InvalidOperationException_on_an_enlisted_connection()
    {
        using (new TransactionScope())
        {
            using var connection = OpenNew();
            Assert.Throws<InvalidOperationException>(() => connection.BeginTransaction());
        }
    }

    [Fact]
    public void Open_inside_a_scope_already_rolled_back_throws_InvalidOperationException_and_stays_closed()
    {
        using (new TransactionScope())
        {
            Transaction.Current!.Rollback();
            using var connection = new StemeConnection(Database.ConnectionString("scoped"));
            Assert.Throws<InvalidOperationException>(() => connection.Open());
            Assert.Equal(System.Data.ConnectionState.Closed, connection.State);
        }
    }

    [Fact]
    public void EnlistTransaction_enlists_an_open_connection_explicitly()
    {
        using (var transaction = new CommittableTransaction())
        {
            Connection.EnlistTransaction(transaction);
            Write(Connection, "a");
            transaction.Rollback();
        }
        Assert.Equal(0, CountAssertions());
    }

    [Fact]
    public void Two_connections_in_one_completed_scope_both_write()
    {
        using (var scope = new TransactionScope())
        {
            using var first = OpenNew();
            using var second = new StemeConnection(Database.ConnectionString("other"));
            second.Open();
            Write(first, "a");
            Write(second, "b");
            scope.Complete();
        }
        Assert.Equal(2, CountAssertions());
    }
}
