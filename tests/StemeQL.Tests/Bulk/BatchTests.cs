using System.Data;
using System.Data.Common;
using StemeQL.Tests.Support;

namespace StemeQL.Tests.Bulk;

public abstract class BatchTests : IDisposable
{
    private readonly TestDatabase _database;
    private readonly StemeConnection _connection;

    private protected BatchTests(StorageBackend backend)
    {
        _database = backend.CreateDatabase();
        _connection = _database.Open("alice");
    }

    public void Dispose()
    {
        _connection.Dispose();
        _database.Dispose();
    }

    private static StemeBatchCommand Command(string text, params (string Name, object? Value)[] parameters)
    {
        var command = new StemeBatchCommand(text);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return command;
    }

    [Fact]
    public void ExecuteReader_gives_one_result_set_per_statement_with_each_commands_parameters()
    {
        using var batch = _connection.CreateBatch();
        batch.BatchCommands.Add(Command("ASSERT (@s, 'p', 'o')", ("s", "a")));
        batch.BatchCommands.Add(Command("ASSERT (@s, 'p', @o)", ("s", "b"), ("o", 42)));
        batch.BatchCommands.Add(Command("SELECT subject, object FROM assertions ORDER BY subject; SELECT subject FROM assertions WHERE subject = @s", ("s", "b")));

        using var reader = batch.ExecuteReader();
        Assert.Equal("hash", reader.GetName(0));
        Assert.True(reader.Read());
        string hashA = reader.GetString(0);
        Assert.True(reader.NextResult());
        Assert.True(reader.Read());
        Assert.NotEqual(hashA, reader.GetString(0));
        Assert.True(reader.NextResult());
        var rows = new List<(string, object)>();
        while (reader.Read()) rows.Add((reader.GetString(0), reader.GetValue(1)));
        Assert.Equal([("a", (object)"o"), ("b", 42L)], rows);
        Assert.True(reader.NextResult());
        Assert.True(reader.Read());
        Assert.Equal("b", reader.GetString(0));
        Assert.False(reader.Read());
        Assert.False(reader.NextResult());
    }

    [Fact]
    public void A_repeated_command_text_runs_with_each_commands_own_parameters()
    {
        const string Assert1 = "ASSERT (@s, 'p', @o)";
        using var batch = _connection.CreateBatch();
        batch.BatchCommands.Add(Command(Assert1, ("s", "x"), ("o", 1)));
        batch.BatchCommands.Add(Command(Assert1, ("s", "y"), ("o", 2)));
        batch.BatchCommands.Add(Command("ASSERT ('z', 'p', 3), ('z', 'p', 4)"));
        batch.BatchCommands.Add(Command(new string(Assert1.ToCharArray()), ("s", "x"), ("o", 5)));

        using (var reader = batch.ExecuteReader())
        {
            var counts = new List<int>();
            do
            {
                Assert.True(reader.HasRows);
                int rows = 0;
                while (reader.Read())
                {
                    Assert.Equal(64, reader.GetString(0).Length);
                    rows++;
                }
                counts.Add(rows);
            }
            while (reader.NextResult());
            Assert.Equal([1, 1, 2, 1], counts);
        }
        Assert.Equal([("x", 1L), ("x", 5L), ("y", 2L), ("z", 3L), ("z", 4L)], SubjectsAndObjects());
    }

    [Fact]
    public void Running_a_batch_again_writes_each_commands_new_values()
    {
        using var batch = _connection.CreateBatch();
        var first = Command("ASSERT (@s, 'p', @o)", ("s", "a"), ("o", 1));
        var second = Command("ASSERT (@s, 'p', @o)", ("s", "b"), ("o", 2));
        batch.BatchCommands.Add(first);
        batch.BatchCommands.Add(second);
        Assert.Equal(2, batch.ExecuteNonQuery());
        (first.Parameters[0].Value, first.Parameters[1].Value) = ("c", 3);
        second.Parameters.Clear();
        second.Parameters.AddWithValue("o", 4);
        second.Parameters.AddWithValue("s", "d");
        Assert.Equal(2, batch.ExecuteNonQuery());
        batch.BatchCommands.RemoveAt(1);
        first.Parameters[0].Value = "e";
        Assert.Equal(1, batch.ExecuteNonQuery());

        Assert.Equal([("a", 1L), ("b", 2L), ("c", 3L), ("d", 4L), ("e", 3L)], SubjectsAndObjects());
    }

    [Fact]
    public void A_reader_left_open_keeps_its_own_values_while_the_batch_runs_again()
    {
        using (var seed = _connection.CreateBatch())
        {
            for (int i = 0; i < 20; i++) seed.BatchCommands.Add(Command("ASSERT (@s, 'p', @o)", ("s", i % 2 == 0 ? "a" : "b"), ("o", i)));
            seed.ExecuteNonQuery();
        }
        using var batch = _connection.CreateBatch();
        batch.BatchCommands.Add(Command("SELECT subject FROM assertions WHERE subject = @s OR object = @o", ("s", "a"), ("o", -1)));
        using var first = batch.ExecuteReader();
        Assert.True(first.Read());
        (batch.BatchCommands[0].Parameters[0].Value, batch.BatchCommands[0].Parameters[1].Value) = ("b", -2);
        using (var second = batch.ExecuteReader()) Assert.Equal(Enumerable.Repeat("b", 10), Strings(second));
        Assert.Equal(Enumerable.Repeat("a", 9), Strings(first));
    }

    [Fact]
    public void Consecutive_writes_are_atomic_when_the_last_vote_is_unknown()
    {
        string existing = Rows.Assert(_connection, "x");
        using var batch = _connection.CreateBatch();
        batch.BatchCommands.Add(Command("ASSERT ('a', 'p', 'o')"));
        batch.BatchCommands.Add(Command("VOTE @h WEIGHT 0.5", ("h", existing)));
        batch.BatchCommands.Add(Command("ASSERT ('b', 'p', 'o'), ('c', 'p', 'o')"));
        batch.BatchCommands.Add(Command("VOTE @h", ("h", Rows.UnknownHash)));

        var error = Assert.Throws<StemeException>(() => batch.ExecuteNonQuery());
        Assert.Equal(StemeErrorCode.UnknownAssertion, error.ErrorCode);
        Assert.Equal(1, Rows.Assertions(_connection));
        Assert.Equal(0, Rows.Votes(_connection));
    }

    [Fact]
    public void Consecutive_writes_are_atomic_when_the_last_vote_is_malformed()
    {
        using var batch = _connection.CreateBatch();
        batch.BatchCommands.Add(Command("ASSERT ('a', 'p', 'o')"));
        batch.BatchCommands.Add(Command("VOTE 'not-a-hash'"));

        Assert.Equal(StemeErrorCode.InvalidHash, Assert.Throws<StemeException>(() => batch.ExecuteReader()).ErrorCode);
        Assert.Equal(0, Rows.Assertions(_connection));
    }

    [Fact]
    public void Multi_statement_command_writes_consecutive_writes_atomically()
    {
        using var command = new StemeCommand("ASSERT ('a', 'p', 'o'); ASSERT ('b', 'p', 'o'); VOTE '" + Rows.UnknownHash + "'", _connection);
        Assert.Throws<StemeException>(() => command.ExecuteNonQuery());
        Assert.Equal(0, Rows.Assertions(_connection));
    }

    [Fact]
    public void Select_between_writes_sees_the_writes_before_it()
    {
        using var batch = _connection.CreateBatch();
        batch.BatchCommands.Add(Command("ASSERT ('a', 'p', 'o')"));
        batch.BatchCommands.Add(Command("SELECT subject FROM assertions"));
        batch.BatchCommands.Add(Command("ASSERT ('b', 'p', 'o')"));
        batch.BatchCommands.Add(Command("SELECT subject FROM assertions ORDER BY subject"));

        using var reader = batch.ExecuteReader();
        Assert.True(reader.NextResult());
        Assert.Equal(["a"], Strings(reader));
        Assert.True(reader.NextResult());
        Assert.True(reader.NextResult());
        Assert.Equal(["a", "b"], Strings(reader));
    }

    [Fact]
    public void Failing_write_writes_nothing_of_the_whole_batch()
    {
        using var batch = _connection.CreateBatch();
        batch.BatchCommands.Add(Command("ASSERT ('a', 'p', 'o')"));
        batch.BatchCommands.Add(Command("SELECT subject FROM assertions"));
        batch.BatchCommands.Add(Command("ASSERT ('b', 'p', 'o')"));
        batch.BatchCommands.Add(Command("VOTE @h", ("h", Rows.UnknownHash)));
        batch.BatchCommands.Add(Command("SELECT subject FROM assertions"));
        batch.BatchCommands.Add(Command("ASSERT ('c', 'p', 'o')"));

        Assert.Throws<StemeException>(() => batch.ExecuteNonQuery());
        Assert.Empty(Strings(new StemeCommand("SELECT subject FROM assertions", _connection).ExecuteReader()));
    }

    [Fact]
    public void RecordsAffected_is_set_per_command_and_summed_by_ExecuteNonQuery()
    {
        string hash = Rows.Assert(_connection);
        using var batch = _connection.CreateBatch();
        batch.BatchCommands.Add(Command("ASSERT ('a', 'p', 'o'), ('b', 'p', 'o')"));
        batch.BatchCommands.Add(Command("VOTE @h; VOTE @h WEIGHT 0", ("h", hash)));
        batch.BatchCommands.Add(Command("SELECT subject FROM assertions"));

        Assert.Equal(4, batch.ExecuteNonQuery());
        Assert.Equal([2, 2, -1], ((IEnumerable<StemeBatchCommand>)batch.BatchCommands).Select(c => c.RecordsAffected));

        using var selects = _connection.CreateBatch();
        selects.BatchCommands.Add(Command("SELECT subject FROM assertions"));
        Assert.Equal(-1, selects.ExecuteNonQuery());
    }

    [Fact]
    public void ExecuteScalar_returns_the_first_value_and_runs_every_command()
    {
        using var batch = _connection.CreateBatch();
        batch.BatchCommands.Add(Command("ASSERT ('a', 'p', 'o')"));
        batch.BatchCommands.Add(Command("ASSERT ('b', 'p', 'o')"));
        Assert.Matches("^[0-9a-f]{64}$", (string)batch.ExecuteScalar()!);
        Assert.Equal(2, Rows.Assertions(_connection));
    }

    [Fact]
    public void Batch_in_a_transaction_is_rolled_back_with_it()
    {
        using (var transaction = _connection.BeginTransaction())
        {
            using var batch = _connection.CreateBatch();
            Assert.Same(transaction, batch.Transaction);
            batch.BatchCommands.Add(Command("ASSERT ('a', 'p', 'o')"));
            Assert.Equal(1, batch.ExecuteNonQuery());
        }
        Assert.Equal(0, Rows.Assertions(_connection));
    }

    [Fact]
    public void Execute_without_connection_throws_InvalidOperationException()
    {
        using var batch = new StemeBatch();
        batch.BatchCommands.Add(Command("SELECT subject FROM assertions"));
        Assert.Throws<InvalidOperationException>(() => batch.ExecuteNonQuery());
    }

    [Fact]
    public void Execute_on_closed_connection_throws_InvalidOperationException()
    {
        using var closed = new StemeConnection(_database.ConnectionString());
        using var batch = new StemeBatch(closed);
        batch.BatchCommands.Add(Command("SELECT subject FROM assertions"));
        Assert.Throws<InvalidOperationException>(() => batch.ExecuteReader());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Execute_with_an_empty_command_throws_InvalidOperationException(string? text)
    {
        using var batch = _connection.CreateBatch();
        batch.BatchCommands.Add(Command("ASSERT ('a', 'p', 'o')"));
        batch.BatchCommands.Add(new StemeBatchCommand(text));
        Assert.Throws<InvalidOperationException>(() => batch.ExecuteNonQuery());
        Assert.Equal(0, Rows.Assertions(_connection));
    }

    [Fact]
    public void Execute_with_no_commands_throws_InvalidOperationException()
    {
        using var batch = _connection.CreateBatch();
        Assert.Throws<InvalidOperationException>(() => batch.ExecuteNonQuery());
        Assert.Throws<InvalidOperationException>(() => batch.Prepare());
    }

    [Fact]
    public void Running_a_batch_again_in_a_transaction_keeps_the_uncommitted_runs_values()
    {
        // The second run binds into the first run's parameter values: the first run's writes, still pending
        // in the transaction, must not change with them.
        using (var transaction = _connection.BeginTransaction())
        using (var batch = _connection.CreateBatch())
        {
            batch.Transaction = transaction;
            var command = Command("ASSERT (@s, 'p', @o)", ("s", "a"), ("o", 1));
            batch.BatchCommands.Add(command);
            Assert.Equal(1, batch.ExecuteNonQuery());
            (command.Parameters[0].Value, command.Parameters[1].Value) = ("b", 2);
            Assert.Equal(1, batch.ExecuteNonQuery());
            transaction.Commit();
        }
        Assert.Equal([("a", 1L), ("b", 2L)], SubjectsAndObjects());
    }

    [Fact]
    public void Execute_outside_the_connections_transaction_throws_InvalidOperationException()
    {
        using var transaction = _connection.BeginTransaction();
        using var batch = new StemeBatch(_connection);
        batch.BatchCommands.Add(Command("ASSERT ('a', 'p', 'o')"));
        Assert.Throws<InvalidOperationException>(() => batch.ExecuteNonQuery());
    }

    [Fact]
    public void Execute_after_dispose_throws_ObjectDisposedException()
    {
        var batch = _connection.CreateBatch();
        batch.BatchCommands.Add(Command("SELECT subject FROM assertions"));
        batch.Dispose();
        Assert.Throws<ObjectDisposedException>(() => batch.ExecuteNonQuery());
    }

    [Fact]
    public void Prepare_reports_syntax_errors_before_anything_runs()
    {
        using var batch = _connection.CreateBatch();
        batch.BatchCommands.Add(Command("ASSERT ('a', 'p', 'o')"));
        batch.BatchCommands.Add(Command("SELECT FROM assertions"));
        Assert.Equal(StemeErrorCode.SyntaxError, Assert.Throws<StemeException>(() => batch.Prepare()).ErrorCode);
        Assert.Throws<StemeException>(() => batch.ExecuteNonQuery());
        Assert.Equal(0, Rows.Assertions(_connection));
    }

    [Fact]
    public void Batch_commands_collection_works_through_the_base_type()
    {
        using var batch = new StemeBatch();
        DbBatchCommandCollection commands = ((DbBatch)batch).BatchCommands;
        var command = batch.CreateBatchCommand();
        commands.Add(command);
        Assert.Same(command, commands[0]);
        Assert.Same(command, batch.BatchCommands[0]);
        Assert.Equal(0, commands.IndexOf(command));
        Assert.True(commands.Remove(command));
        Assert.Empty(commands);
        Assert.Throws<ArgumentOutOfRangeException>(() => batch.Timeout = -1);
        Assert.Throws<ArgumentException>(() => command.CommandType = CommandType.StoredProcedure);
    }

    [Fact]
    public async Task Async_methods_run_the_batch_and_honour_a_cancelled_token()
    {
        await using var batch = _connection.CreateBatch();
        batch.BatchCommands.Add(Command("ASSERT ('a', 'p', 'o')"));
        batch.BatchCommands.Add(Command("SELECT subject FROM assertions"));
        Assert.Equal(1, await batch.ExecuteNonQueryAsync());

        await using (var reader = await batch.ExecuteReaderAsync())
        {
            Assert.True(await reader.NextResultAsync());
            Assert.True(await reader.ReadAsync());
            Assert.Equal("a", reader.GetString(0));
        }
        Assert.IsType<string>(await batch.ExecuteScalarAsync());
        await batch.PrepareAsync();

        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => batch.ExecuteNonQueryAsync(cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => batch.ExecuteReaderAsync(cancelled.Token));
        Assert.Equal(1, Rows.Assertions(_connection));
    }

    [Fact]
    public void Factory_and_connection_create_batches()
    {
        DbProviderFactory factory = StemeFactory.Instance;
        Assert.True(factory.CanCreateBatch);
        var batch = Assert.IsType<StemeBatch>(factory.CreateBatch());
        Assert.IsType<StemeBatchCommand>(factory.CreateBatchCommand());

        DbConnection connection = _connection;
        Assert.True(connection.CanCreateBatch);
        using var fromConnection = connection.CreateBatch();
        Assert.Same(_connection, fromConnection.Connection);

        batch.Connection = _connection;
        var command = batch.CreateBatchCommand();
        command.CommandText = "ASSERT (@s, 'p', 'o')";
        var parameter = command.CreateParameter();
        parameter.ParameterName = "s";
        parameter.Value = "a";
        command.Parameters.Add(parameter);
        batch.BatchCommands.Add(command);
        Assert.Equal(1, batch.ExecuteNonQuery());
        Assert.Equal(1, command.RecordsAffected);
    }

    // Every stored (subject, object), in order: the objects of these tests are integers.
    private List<(string, long)> SubjectsAndObjects()
    {
        using var check = new StemeCommand("SELECT subject, object FROM assertions ORDER BY subject, object", _connection);
        using var facts = check.ExecuteReader();
        var seen = new List<(string, long)>();
        while (facts.Read()) seen.Add((facts.GetString(0), facts.GetInt64(1)));
        return seen;
    }

    private static List<string> Strings(StemeDataReader reader)
    {
        var values = new List<string>();
        while (reader.Read()) values.Add(reader.GetString(0));
        return values;
    }
}

/// <summary>The suite on the embedded store.</summary>
public sealed class EmbeddedBatchTests() : BatchTests(StorageBackend.Named("embedded"));

/// <summary>The suite on PostgreSQL.</summary>
public sealed class PostgresBatchTests() : BatchTests(StorageBackend.Named("postgres"));
