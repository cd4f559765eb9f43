using System.Data;

namespace StemeQL.Tests.Specification;

/// <summary>StemeConnection and its connection string as the ADO.NET specification describes them.</summary>
public sealed class ConnectionSpec : SpecFixture
{
    [Fact]
    public void Enlist_defaults_to_true()
    {
        Assert.True(new StemeConnectionStringBuilder().Enlist);
    }

    [Fact]
    public void Enlist_false_round_trips_through_the_connection_string()
    {
        var builder = new StemeConnectionStringBuilder { Enlist = false };
        Assert.False(new StemeConnectionStringBuilder(builder.ConnectionString).Enlist);
    }

    [Fact]
    public void An_invalid_Enlist_value_throws_ArgumentException()
    {
        Assert.Throws<ArgumentException>(() => new StemeConnectionStringBuilder("Enlist=perhaps"));
    }

    [Fact]
    public void EnlistTransaction_of_null_does_nothing()
    {
        Connection.EnlistTransaction(null);
        using var transaction = Connection.BeginTransaction();
        Assert.Same(Connection, transaction.Connection);
    }

    [Fact]
    public void EnlistTransaction_throws_InvalidOperationException_on_a_closed_connection()
    {
        using var closed = new StemeConnection(Database.ConnectionString());
        using var transaction = new System.Transactions.CommittableTransaction();
        Assert.Throws<InvalidOperationException>(() => closed.EnlistTransaction(transaction));
    }

    [Fact]
    public void EnlistTransaction_throws_InvalidOperationException_while_a_local_transaction_is_open()
    {
        using var local = Connection.BeginTransaction();
        using var transaction = new System.Transactions.CommittableTransaction();
        Assert.Throws<InvalidOperationException>(() => Connection.EnlistTransaction(transaction));
    }

    [Fact]
    public void OpenAsync_opens_the_connection()
    {
        using var connection = new StemeConnection(Database.ConnectionString());
        Assert.True(connection.OpenAsync().IsCompletedSuccessfully);
        Assert.Equal(ConnectionState.Open, connection.State);
    }

    [Fact]
    public void OpenAsync_returns_a_faulted_task_when_opening_fails()
    {
        using var connection = new StemeConnection();
        var task = connection.OpenAsync();
        Assert.True(task.IsFaulted);
        Assert.IsType<InvalidOperationException>(task.Exception!.InnerException);
    }
}
