using System.Data;
using StemeQL.Tests.Support;

namespace StemeQL.Tests.Provider;

public abstract class CommandTests : IDisposable
{
    private readonly TestDatabase _database;

    private protected CommandTests(StorageBackend backend) => _database = backend.CreateDatabase();

    [Fact]
    public void Execute_on_closed_connection_throws_InvalidOperationException()
    {
        using var connection = new StemeConnection(_database.ConnectionString());
        using var command = new StemeCommand("SELECT * FROM assertions", connection);
        Assert.Throws<InvalidOperationException>(() => command.ExecuteNonQuery());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Execute_with_empty_text_throws_InvalidOperationException(string? text)
    {
        using var connection = _database.Open();
        using var command = new StemeCommand(text, connection);
        Assert.Equal("", command.CommandText.Trim());
        Assert.Throws<InvalidOperationException>(() => command.ExecuteScalar());
    }

    [Fact]
    public void Execute_after_dispose_throws_ObjectDisposedException()
    {
        using var connection = _database.Open();
        var command = new StemeCommand("SELECT * FROM assertions", connection);
        command.Dispose();
        Assert.Throws<ObjectDisposedException>(() => command.ExecuteNonQuery());
    }

    [Fact]
    public void Comment_only_text_gives_no_result_set()
    {
        using var connection = _database.Open();
        using var reader = new StemeCommand("-- nothing to do", connection).ExecuteReader();
        Assert.Equal(0, reader.FieldCount);
        Assert.False(reader.Read());
        Assert.False(reader.NextResult());
    }

    [Fact]
    public void ExecuteScalar_returns_null_when_there_are_no_rows()
    {
        using var connection = _database.Open();
        Assert.Null(new StemeCommand("SELECT subject FROM assertions", connection).ExecuteScalar());
    }

    [Fact]
    public void ExecuteNonQuery_returns_minus_one_for_queries()
    {
        using var connection = _database.Open();
        Assert.Equal(-1, new StemeCommand("SELECT subject FROM assertions", connection).ExecuteNonQuery());
    }

    [Fact]
    public void ExecuteNonQuery_counts_assertions_and_votes()
    {
        using var connection = _database.Open();
        string hash = (string)new StemeCommand("ASSERT ('a', 'p', 'o')", connection).ExecuteScalar()!;
        Assert.Equal(4, new StemeCommand($"ASSERT ('b', 'p', 1), ('c', 'p', 2); VOTE '{hash}'; VOTE '{hash}' WEIGHT 0", connection).ExecuteNonQuery());
    }

    [Fact]
    public async Task Async_execution_works_and_honours_cancelled_tokens()
    {
        await using var connection = _database.Open();
        await using var command = new StemeCommand("ASSERT ('a', 'p', 'o')", connection);
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
        command.CommandText = "SELECT subject FROM assertions";
        Assert.Equal("a", await command.ExecuteScalarAsync());
        await using (var reader = await command.ExecuteReaderAsync())
        {
            Assert.True(await reader.ReadAsync());
            Assert.False(await reader.NextResultAsync());
        }
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => command.ExecuteReaderAsync(new CancellationToken(true)));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => command.ExecuteNonQueryAsync(new CancellationToken(true)));
    }

    [Fact]
    public void Prepare_reports_syntax_errors_without_executing()
    {
        using var connection = _database.Open();
        using var command = new StemeCommand("ASSERT paris", connection);
        Assert.Equal(StemeErrorCode.SyntaxError, Assert.Throws<StemeException>(command.Prepare).ErrorCode);
        command.CommandText = "SELECT subject FROM assertions WHERE subject = @s";
        command.Prepare();
        command.Parameters.AddWithValue("s", "x");
        Assert.Null(command.ExecuteScalar());
    }

    [Fact]
    public void CommandTimeout_defaults_to_the_connection_string_and_rejects_negatives()
    {
        using var connection = new StemeConnection(_database.ConnectionString() + ";Command Timeout=7");
        using var command = connection.CreateCommand();
        Assert.Equal(7, command.CommandTimeout);
        command.CommandTimeout = 0;
        Assert.Equal(0, command.CommandTimeout);
        Assert.Throws<ArgumentOutOfRangeException>(() => command.CommandTimeout = -1);
    }

    [Fact]
    public void Cancel_when_not_running_does_nothing()
    {
        using var connection = _database.Open();
        using var command = new StemeCommand("SELECT * FROM assertions", connection);
        command.Cancel();
        command.ExecuteNonQuery();
        command.Cancel();
    }

    [Fact]
    public void Cancel_stops_a_running_read()
    {
        using var connection = _database.Open();
        new StemeCommand("ASSERT ('a', 'p', 1), ('b', 'p', 2), ('c', 'p', 3)", connection).ExecuteNonQuery();
        using var command = new StemeCommand("SELECT subject FROM assertions", connection);
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        command.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => { while (reader.Read()) { } });
    }

    public void Dispose() => _database.Dispose();
}

/// <summary>The suite on the embedded store, and the tests that open no store.</summary>
public sealed class EmbeddedCommandTests() : CommandTests(StorageBackend.Named("embedded"))
{
    // The tests that open no store run once, here: on PostgreSQL they would test nothing more.

    [Fact]
    public void Execute_without_connection_throws_InvalidOperationException()
    {
        using var command = new StemeCommand("SELECT * FROM assertions");
        Assert.Throws<InvalidOperationException>(() => command.ExecuteReader());
    }

    [Fact]
    public void Only_text_commands_are_supported()
    {
        using var command = new StemeCommand();
        Assert.Equal(CommandType.Text, command.CommandType);
        Assert.Throws<ArgumentException>(() => command.CommandType = CommandType.StoredProcedure);
    }
}

/// <summary>The suite on PostgreSQL.</summary>
public sealed class PostgresCommandTests() : CommandTests(StorageBackend.Named("postgres"));
