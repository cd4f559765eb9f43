using StemeQL.Tests.Support;

namespace StemeQL.Tests.EndToEnd;

/// <summary>Every user error is a StemeException with its own code and writes nothing.</summary>
public abstract class ErrorTests : IDisposable
{
    private readonly TestDatabase _database;
    private readonly StemeConnection _connection;

    private protected ErrorTests(StorageBackend backend)
    {
        _database = backend.CreateDatabase();
        _connection = _database.Open("alice");
    }

    private StemeException Fails(string sql, params (string, object?)[] parameters)
    {
        long before = LastLsn();
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        var error = Assert.Throws<StemeException>(() => command.ExecuteNonQuery());
        Assert.Equal(before, LastLsn());
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
        return error;
    }

    private long LastLsn()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT lsn FROM assertions ORDER BY lsn DESC LIMIT 1; SELECT lsn FROM votes ORDER BY lsn DESC LIMIT 1";
        using var reader = command.ExecuteReader();
        long last = 0;
        do
        {
            while (reader.Read()) last = Math.Max(last, reader.GetInt64(0));
        } while (reader.NextResult());
        return last;
    }

    private string Assert1(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        return (string)command.ExecuteScalar()!;
    }

    [Fact]
    public void Syntax_error_carries_line_column_and_expected_tokens()
    {
        var error = Fails("ASSERT paris");
        Assert.Equal(StemeErrorCode.SyntaxError, error.ErrorCode);
        Assert.Equal((1, 7), (error.Line, error.Column));
        Assert.Contains("'('", error.ExpectedTokens);
        Assert.StartsWith("line 1:7", error.Message);
        Assert.Equal("SyntaxError", error.SqlState);
    }

    [Fact]
    public void Syntax_error_in_a_later_statement_runs_nothing()
    {
        var error = Fails("ASSERT ('a', 'p', 'o');\nASSERT ('b', 'p', 'o');\nSELECT FROM assertions");
        Assert.Equal((3, 7), (error.Line, error.Column));
    }

    [Fact]
    public void Unknown_lens_relation_and_column_have_their_own_codes()
    {
        Assert.Equal(StemeErrorCode.UnknownLens, Fails("SELECT object FROM assertions USING LENS wisdom").ErrorCode);
        Assert.Equal(StemeErrorCode.NotSupported, Fails("SELECT object FROM assertions USING LENS skeptic").ErrorCode);
        Assert.Equal(StemeErrorCode.UnknownRelation, Fails("SELECT object FROM claims").ErrorCode);
        var column = Fails("SELECT colour FROM assertions");
        Assert.Equal(StemeErrorCode.UnknownColumn, column.ErrorCode);
        Assert.Contains("subject", column.Message);
        Assert.Equal(StemeErrorCode.UnknownColumn, Fails("SELECT subject FROM assertions WHERE colour = 'red'").ErrorCode);
        Assert.Equal(StemeErrorCode.UnknownColumn, Fails("SELECT subject FROM assertions ORDER BY colour").ErrorCode);
    }

    [Fact]
    public void Votes_need_a_known_hash_and_a_weight_in_range()
    {
        string hash = Assert1("ASSERT ('a', 'p', 'o')");
        Assert.Equal(StemeErrorCode.InvalidWeight, Fails($"VOTE '{hash}' WEIGHT 1.5").ErrorCode);
        Assert.Equal(StemeErrorCode.InvalidWeight, Fails($"VOTE '{hash}' WEIGHT -0.1").ErrorCode);
        Assert.Equal(StemeErrorCode.UnknownAssertion, Fails($"VOTE '{new string('a', 64)}'").ErrorCode);
        Assert.Equal(StemeErrorCode.InvalidHash, Fails("VOTE 'not-a-hash'").ErrorCode);
        Assert.Equal(StemeErrorCode.InvalidConfidence, Fails("ASSERT ('a', 'p', 'x') WITH CONFIDENCE 2").ErrorCode);
        Assert.Equal(StemeErrorCode.UnknownAssertion, Fails($"ASSERT ('a', 'p', 'x') DERIVED FROM ('{new string('b', 64)}')").ErrorCode);
    }

    [Fact]
    public void A_timestamp_object_is_refused_with_the_kinds_an_object_may_be()
    {
        var error = Fails("ASSERT ('s', 'p', @o)", ("@o", new DateTime(2026, 1, 2, 0, 0, 0, DateTimeKind.Utc)));
        Assert.Equal(StemeErrorCode.TypeMismatch, error.ErrorCode);
        Assert.StartsWith("The object cannot be the timestamp", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("use text, an integer, a real, TRUE/FALSE or bytes.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_parameter_is_named()
    {
        var error = Fails("ASSERT (@s, 'p', 'o')");
        Assert.Equal(StemeErrorCode.MissingParameter, error.ErrorCode);
        Assert.Contains("@s", error.Message);
    }

    [Fact]
    public void Wrong_types_are_rejected()
    {
        Assert.Equal(StemeErrorCode.TypeMismatch, Fails("ASSERT (1, 'p', 'o')").ErrorCode);
        Assert.Equal(StemeErrorCode.TypeMismatch, Fails("ASSERT ('s', 'p', NULL)").ErrorCode);
        Assert.Equal(StemeErrorCode.TypeMismatch, Fails("ASSERT ('s', 'p', 'o') IN EPOCH 3").ErrorCode);
        Assert.Equal(StemeErrorCode.InvalidLimit, Fails("SELECT subject FROM assertions LIMIT -1").ErrorCode);
        Assert.Equal(StemeErrorCode.InvalidLensOption, Fails("SELECT subject FROM assertions USING LENS consensus (decay = 2)").ErrorCode);
    }

    [Fact]
    public void A_multi_tuple_assert_with_one_bad_tuple_writes_none()
    {
        Fails("ASSERT ('a', 'p', 'o'), ('b', 'p', NULL)");
        Fails($"ASSERT ('a', 'p', 'o'), ('b', 'p', 'o') DERIVED FROM ('{new string('c', 64)}')");
    }

    public void Dispose()
    {
        _connection.Dispose();
        _database.Dispose();
    }
}

/// <summary>The suite on the embedded store.</summary>
public sealed class EmbeddedErrorTests() : ErrorTests(StorageBackend.Named("embedded"));

/// <summary>The suite on PostgreSQL.</summary>
public sealed class PostgresErrorTests() : ErrorTests(StorageBackend.Named("postgres"));
