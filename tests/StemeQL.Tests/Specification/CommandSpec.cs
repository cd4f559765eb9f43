using System.Data;

namespace StemeQL.Tests.Specification;

/// <summary>StemeCommand as the ADO.NET specification describes a DbCommand.</summary>
public sealed class CommandSpec : SpecFixture
{
    public CommandSpec() => StoreObject("1");

    private StemeCommand Select() => new("SELECT object FROM assertions", Connection);

    [Fact]
    public void ExecuteReader_throws_InvalidOperationException_while_the_commands_reader_is_open()
    {
        using var command = Select();
        using var reader = command.ExecuteReader();
        Assert.Throws<InvalidOperationException>(() => command.ExecuteReader());
    }

    [Fact]
    public void ExecuteNonQuery_throws_InvalidOperationException_while_the_commands_reader_is_open()
    {
        using var command = Select();
        using var reader = command.ExecuteReader();
        Assert.Throws<InvalidOperationException>(() => command.ExecuteNonQuery());
    }

    [Fact]
    public void CommandText_cannot_change_while_the_commands_reader_is_open()
    {
        using var command = Select();
        using var reader = command.ExecuteReader();
        Assert.Throws<InvalidOperationException>(() => command.CommandText = "SELECT subject FROM assertions");
    }

    [Fact]
    public void Connection_cannot_change_while_the_commands_reader_is_open()
    {
        using var command = Select();
        using var reader = command.ExecuteReader();
        Assert.Throws<InvalidOperationException>(() => command.Connection = null);
    }

    [Fact]
    public void ExecuteReader_works_again_once_the_reader_is_closed()
    {
        using var command = Select();
        command.ExecuteReader().Dispose();
        command.CommandText = "SELECT subject FROM assertions";
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal("v", reader.GetString(0));
    }

    [Fact]
    public void A_reader_outlives_its_disposed_command()
    {
        StemeDataReader reader;
        using (var command = Select()) reader = command.ExecuteReader();
        using (reader)
        {
            Assert.True(reader.Read());
            Assert.Equal(1L, reader.GetInt64(0));
        }
    }

    [Fact]
    public async Task ExecuteReaderAsync_returns_a_cancelled_task_for_a_cancelled_token()
    {
        using var command = Select();
        var task = command.ExecuteReaderAsync(Cancelled);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
        Assert.True(task.IsCanceled);
    }

    [Fact]
    public async Task ExecuteNonQueryAsync_returns_a_cancelled_task_for_a_cancelled_token_and_writes_nothing()
    {
        using var command = new StemeCommand("ASSERT ('x', 'p', 1)", Connection);
        var task = command.ExecuteNonQueryAsync(Cancelled);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
        Assert.True(task.IsCanceled);
        Assert.Equal(1, CountAssertions());
    }

    [Fact]
    public async Task ExecuteScalarAsync_returns_a_cancelled_task_for_a_cancelled_token()
    {
        using var command = Select();
        var task = command.ExecuteScalarAsync(Cancelled);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
        Assert.True(task.IsCanceled);
    }

    [Fact]
    public async Task ExecuteNonQueryAsync_returns_a_faulted_task_for_a_statement_error()
    {
        using var command = new StemeCommand("SELECT nope FROM assertions", Connection);
        var task = command.ExecuteNonQueryAsync();
        await Assert.ThrowsAsync<StemeException>(() => task);
        Assert.True(task.IsFaulted);
    }

    [Fact]
    public async Task OpenAsync_returns_a_cancelled_task_for_a_cancelled_token()
    {
        using var connection = new StemeConnection(Database.ConnectionString());
        var task = connection.OpenAsync(Cancelled);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
        Assert.Equal(ConnectionState.Closed, connection.State);
    }

    [Fact]
    public async Task Batch_ExecuteNonQueryAsync_returns_a_cancelled_task_for_a_cancelled_token()
    {
        using var batch = Connection.CreateBatch();
        batch.BatchCommands.Add(new StemeBatchCommand("ASSERT ('x', 'p', 1)"));
        var task = batch.ExecuteNonQueryAsync(Cancelled);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
        Assert.True(task.IsCanceled);
    }

    [Fact]
    public async Task ExecuteReaderAsync_returns_a_faulted_task_when_there_is_no_connection()
    {
        using var command = new StemeCommand("SELECT object FROM assertions");
        var task = command.ExecuteReaderAsync();
        await Assert.ThrowsAsync<InvalidOperationException>(() => task);
        Assert.True(task.IsFaulted);
    }

    [Fact]
    public void ExecuteScalar_returns_null_when_there_are_no_rows()
    {
        using var command = new StemeCommand("SELECT object FROM assertions WHERE subject = 'none'", Connection);
        Assert.Null(command.ExecuteScalar());
    }
}
