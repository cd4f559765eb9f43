using System.Data;
using StemeQL.Tests.Support;

namespace StemeQL.Tests.Atomicity;

/// <summary>
/// A command of several statements, or a batch, that fails part-way writes nothing of any of its
/// statements: the durable LSN and the row counts stay where they were.
/// </summary>
public abstract class AtomicCommandTests : IDisposable
{
    // A text object among integers: `-object` fails with TypeMismatch when evaluation reaches it.
    private const string FailsMidRead = "SELECT subject FROM assertions WHERE -object < 0";

    private readonly TestDatabase _database;
    private readonly StemeConnection _connection;
    private readonly string _hash;

    private protected AtomicCommandTests(StorageBackend backend)
    {
        _database = backend.CreateDatabase();
        _connection = _database.Open("alice");
        _hash = (string)new StemeCommand("ASSERT ('a', 'n', 1), ('b', 'n', 2), ('c', 'n', 'three'), ('d', 'n', 4)", _connection).ExecuteScalar()!;
        new StemeCommand($"VOTE '{_hash}' WEIGHT 0.5", _connection).ExecuteNonQuery();
    }

    [Fact]
    public void Command_writes_nothing_when_a_later_query_fails_on_a_type_mismatch()
    {
        var before = State();
        TypeMismatch(() => ReadAll(new StemeCommand("ASSERT ('m', 'k', 1); SELECT * FROM assertions WHERE subject = - - 'm'", _connection)));
        Assert.Equal(before, State());
    }

    [Fact]
    public void Command_writes_nothing_when_a_later_write_fails()
    {
        var before = State();
        string unknown = new('f', 64);
        var error = Assert.Throws<StemeException>(() => ReadAll(new StemeCommand(
            $"ASSERT ('m', 'k', 1); SELECT subject FROM assertions; VOTE '{_hash}' WEIGHT 1; VOTE '{unknown}' WEIGHT 0.5", _connection)));
        Assert.Equal(StemeErrorCode.UnknownAssertion, error.ErrorCode);
        Assert.Equal(before, State());
    }

    [Fact]
    public void Command_writes_nothing_when_a_query_fails_while_its_rows_are_read()
    {
        var before = State();
        TypeMismatch(() => ReadAll(new StemeCommand($"{FailsMidRead}; ASSERT ('m', 'k', 1)", _connection)));
        Assert.Equal(before, State());
    }

    [Fact]
    public void Command_writes_nothing_when_a_query_reached_by_NextResult_fails()
    {
        var before = State();
        TypeMismatch(() =>
        {
            using var reader = new StemeCommand($"ASSERT ('m', 'k', 1); SELECT subject FROM assertions WHERE subject = 'a'; {FailsMidRead}; VOTE '{_hash}' WEIGHT 0.5", _connection).ExecuteReader();
            while (reader.NextResult()) { }
        });
        Assert.Equal(before, State());
    }

    [Fact]
    public void Command_writes_nothing_when_its_reader_is_disposed_before_a_failing_query_is_reached()
    {
        var before = State();
        TypeMismatch(() =>
        {
            using var reader = new StemeCommand($"SELECT subject FROM assertions; {FailsMidRead}; ASSERT ('m', 'k', 1)", _connection).ExecuteReader();
            reader.Read();
        });
        Assert.Equal(before, State());
    }

    [Fact]
    public void ExecuteNonQuery_writes_nothing_when_a_query_between_writes_fails()
    {
        var before = State();
        using var command = new StemeCommand("SELECT subject FROM assertions WHERE subject = 'a'; SELECT subject FROM assertions WHERE subject = -'a'; VOTE @h WEIGHT 0.5", _connection);
        command.Parameters.AddWithValue("h", _hash);
        TypeMismatch(() => command.ExecuteNonQuery());
        Assert.Equal(before, State());
    }

    [Fact]
    public void ExecuteScalar_writes_nothing_when_a_statement_after_the_first_fails()
    {
        var before = State();
        using var command = new StemeCommand($"ASSERT ('m', 'k', 1); {FailsMidRead}", _connection);
        TypeMismatch(() => command.ExecuteScalar());
        Assert.Equal(before, State());
    }

    [Fact]
    public void Batch_writes_nothing_when_a_later_command_fails()
    {
        var before = State();
        using var batch = _connection.CreateBatch();
        batch.BatchCommands.Add(new StemeBatchCommand("ASSERT ('m', 'k', 1)"));
        batch.BatchCommands.Add(new StemeBatchCommand(FailsMidRead));
        var vote = new StemeBatchCommand("VOTE @h WEIGHT 0.5");
        vote.Parameters.AddWithValue("h", _hash);
        batch.BatchCommands.Add(vote);
        TypeMismatch(() => batch.ExecuteNonQuery());
        Assert.Equal(before, State());
    }

    [Fact]
    public void Batch_writes_nothing_when_a_later_write_command_fails()
    {
        var before = State();
        using var batch = _connection.CreateBatch();
        batch.BatchCommands.Add(new StemeBatchCommand("ASSERT ('m', 'k', 1)"));
        batch.BatchCommands.Add(new StemeBatchCommand("SELECT subject FROM assertions WHERE subject = 'a'"));
        batch.BatchCommands.Add(new StemeBatchCommand($"VOTE '{new string('e', 64)}'"));
        Assert.Equal(StemeErrorCode.UnknownAssertion, Assert.Throws<StemeException>(() => ReadAll(batch)).ErrorCode);
        Assert.Equal(before, State());
    }

    [Fact]
    public void Command_of_writes_and_queries_writes_everything_once_all_succeed()
    {
        var before = State();
        using var command = new StemeCommand("ASSERT ('m', 'k', 1); SELECT subject FROM assertions WHERE subject = 'm'; ASSERT ('n', 'k', 2); VOTE @h", _connection);
        command.Parameters.AddWithValue("h", _hash);
        using (var reader = command.ExecuteReader())
        {
            Assert.True(reader.Read());
            Assert.Equal(before.DurableLsn + 1, reader.GetInt64(1));   // the real LSN, not NULL
            Assert.True(reader.NextResult());
            Assert.True(reader.Read());    // a query sees the command's writes before it
            Assert.Equal("m", reader.GetString(0));
            Assert.False(reader.Read());
            Assert.True(reader.NextResult());
            Assert.True(reader.Read());
            Assert.Equal(before.DurableLsn + 2, reader.GetInt64(1));
            Assert.True(reader.NextResult());
            Assert.False(reader.NextResult());
            Assert.Equal(3, reader.RecordsAffected);
        }
        Assert.Equal((before.DurableLsn + 3, before.Assertions + 2, before.Votes + 1), State());
        Assert.Equal("m", new StemeCommand("SELECT subject FROM assertions WHERE subject = 'm'", _connection).ExecuteScalar());
    }

    [Fact]
    public void Query_sees_the_commands_earlier_writes_through_lens_views_and_votes()
    {
        using var command = new StemeCommand(
            "ASSERT ('m', 'colour', 'red'); VOTE @h WEIGHT 1; "
            + "SELECT object FROM assertions USING LENS consensus WHERE subject = 'm' AND predicate = 'colour'; "
            + "SELECT weight FROM votes WHERE assertion = @h ORDER BY weight; "
            + "SELECT subject FROM assertions WHERE subject = 'm'", _connection);
        command.Parameters.AddWithValue("h", _hash);
        using var reader = command.ExecuteReader();
        Assert.True(reader.NextResult());
        Assert.True(reader.NextResult());
        Assert.True(reader.Read());
        Assert.Equal("red", reader.GetString(0));
        Assert.True(reader.NextResult());
        var weights = new List<double>();
        while (reader.Read()) weights.Add(reader.GetDouble(0));
        Assert.Equal([0.5, 1.0], weights);
        Assert.True(reader.NextResult());
        Assert.True(reader.Read());
        Assert.Equal("m", reader.GetString(0));
    }

    [Fact]
    public void Counts_the_store_answers_include_the_commands_earlier_writes()
    {
        using var command = new StemeCommand(
            "ASSERT ('m', 'n', 5), ('m', 'k', 6); VOTE @h WEIGHT 1; "
            + "SELECT predicate, count(*) FROM assertions GROUP BY predicate ORDER BY predicate; "
            + "SELECT agent, count(*) FROM votes GROUP BY agent; "
            + "SELECT count(*) FROM assertions", _connection);
        command.Parameters.AddWithValue("h", _hash);
        using var reader = command.ExecuteReader();
        Assert.True(reader.NextResult());
        Assert.True(reader.NextResult());
        var byPredicate = new List<string>();
        while (reader.Read()) byPredicate.Add($"{reader.GetString(0)}={reader.GetInt64(1)}");
        Assert.Equal(["k=1", "n=5"], byPredicate);
        Assert.True(reader.NextResult());
        Assert.True(reader.Read());
        Assert.Equal(("alice", 2L), (reader.GetString(0), reader.GetInt64(1)));   // the earlier vote and this command's
        Assert.True(reader.NextResult());
        Assert.True(reader.Read());
        Assert.Equal(6L, reader.GetInt64(0));
    }

    [Fact]
    public void Command_writes_nothing_when_a_query_fails_on_a_row_the_command_itself_asserted()
    {
        var before = State();
        TypeMismatch(() => ReadAll(new StemeCommand("ASSERT ('z', 'only_here', 'text'); SELECT subject FROM assertions WHERE predicate = 'only_here' AND -object < 0", _connection)));
        Assert.Equal(before, State());
    }

    [Fact]
    public void Disposing_a_reader_early_does_not_run_the_queries_it_never_reached()
    {
        using (var reader = new StemeCommand($"SELECT subject FROM assertions WHERE subject = 'a'; {FailsMidRead}", _connection).ExecuteReader())
            Assert.True(reader.Read());
        Assert.Equal(4, State().Assertions);
    }

    [Fact]
    public void Command_in_an_explicit_transaction_leaves_commit_or_rollback_to_the_caller()
    {
        var before = State();
        using (var transaction = _connection.BeginTransaction())
        {
            using var command = new StemeCommand($"ASSERT ('m', 'k', 1); SELECT subject FROM assertions WHERE subject = 'a'; {FailsMidRead}", _connection, transaction);
            TypeMismatch(() => ReadAll(command));
            transaction.Rollback();
        }
        Assert.Equal(before, State());
        using (var transaction = _connection.BeginTransaction())
        {
            Assert.Equal(1, new StemeCommand("ASSERT ('m', 'k', 1); SELECT subject FROM assertions WHERE subject = 'a'", _connection, transaction).ExecuteNonQuery());
            transaction.Commit();
        }
        Assert.Equal(before.Assertions + 1, State().Assertions);
    }

    private static void TypeMismatch(Action action) =>
        Assert.Equal(StemeErrorCode.TypeMismatch, Assert.Throws<StemeException>(action).ErrorCode);

    private static void ReadAll(StemeCommand command)
    {
        using var reader = command.ExecuteReader();
        do { while (reader.Read()) { } } while (reader.NextResult());
    }

    private static void ReadAll(StemeBatch batch)
    {
        using var reader = batch.ExecuteReader();
        do { while (reader.Read()) { } } while (reader.NextResult());
    }

    private (long DurableLsn, int Assertions, int Votes) State() =>
        ((long)new StemeCommand("SELECT durable_lsn FROM stemeql_status", _connection).ExecuteScalar()!,
            Count("SELECT hash FROM assertions"), Count("SELECT assertion FROM votes"));

    private int Count(string sql)
    {
        using var reader = new StemeCommand(sql, _connection).ExecuteReader();
        int count = 0;
        while (reader.Read()) count++;
        return count;
    }

    public void Dispose()
    {
        _connection.Dispose();
        _database.Dispose();
    }
}

/// <summary>The suite on the embedded store.</summary>
public sealed class EmbeddedAtomicCommandTests() : AtomicCommandTests(StorageBackend.Named("embedded"));

/// <summary>The suite on PostgreSQL.</summary>
public sealed class PostgresAtomicCommandTests() : AtomicCommandTests(StorageBackend.Named("postgres"));
