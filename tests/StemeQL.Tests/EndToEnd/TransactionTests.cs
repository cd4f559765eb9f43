using StemeQL.Tests.Support;

namespace StemeQL.Tests.EndToEnd;

public abstract class TransactionTests : IDisposable
{
    private readonly TestDatabase _database;

    private protected TransactionTests(StorageBackend backend) => _database = backend.CreateDatabase();

    private static long Count(StemeConnection connection, string sql, StemeTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        using var reader = command.ExecuteReader();
        long n = 0;
        while (reader.Read()) n++;
        return n;
    }

    private static object? Scalar(StemeConnection connection, string sql, StemeTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command.ExecuteScalar();
    }

    [Fact]
    public void Commit_applies_every_statement()
    {
        using var connection = _database.Open("alice");
        using var transaction = connection.BeginTransaction();
        string hash = (string)Scalar(connection, "ASSERT ('a', 'p', 'o')", transaction)!;
        Scalar(connection, $"VOTE '{hash}' WEIGHT 0.5", transaction);
        Scalar(connection, "ASSERT ('b', 'p', 'o')", transaction);
        using (var other = _database.Open("bob"))
            Assert.Equal(0, Count(other, "SELECT hash FROM assertions"));

        transaction.Commit();

        Assert.Equal(2, Count(connection, "SELECT hash FROM assertions"));
        Assert.Equal(1, Count(connection, "SELECT lsn FROM votes"));
        Assert.Null(transaction.Connection);
    }

    [Fact]
    public void Rollback_applies_nothing()
    {
        using var connection = _database.Open("alice");
        var transaction = connection.BeginTransaction();
        Scalar(connection, "ASSERT ('a', 'p', 'o'); ASSERT ('b', 'p', 'o')", transaction);
        transaction.Rollback();
        Assert.Equal(0, Count(connection, "SELECT hash FROM assertions"));
    }

    [Fact]
    public void Dispose_without_commit_rolls_back()
    {
        using var connection = _database.Open("alice");
        using (var transaction = connection.BeginTransaction())
            Scalar(connection, "ASSERT ('a', 'p', 'o')", transaction);
        Assert.Equal(0, Count(connection, "SELECT hash FROM assertions"));
    }

    [Fact]
    public void A_failing_statement_in_a_transaction_leaves_earlier_ones_pending()
    {
        using var connection = _database.Open("alice");
        using var transaction = connection.BeginTransaction();
        Scalar(connection, "ASSERT ('a', 'p', 'o')", transaction);
        Assert.Throws<StemeException>(() => Scalar(connection, $"VOTE '{new string('d', 64)}'", transaction));
        transaction.Commit();
        Assert.Equal(1, Count(connection, "SELECT hash FROM assertions"));
    }

    [Fact]
    public void An_unknown_vote_target_fails_with_the_same_message_in_and_out_of_a_transaction()
    {
        using var connection = _database.Open("alice");
        string vote = $"VOTE '{new string('d', 64)}'";
        var alone = Assert.Throws<StemeException>(() => Scalar(connection, vote));
        using var transaction = connection.BeginTransaction();
        var inside = Assert.Throws<StemeException>(() => Scalar(connection, vote, transaction));
        Assert.Equal(StemeErrorCode.UnknownAssertion, inside.ErrorCode);
        Assert.Equal(alone.Message, inside.Message);
    }

    [Fact]
    public void A_derived_from_naming_no_assertion_fails_in_a_transaction_and_is_not_buffered()
    {
        using var connection = _database.Open("alice");
        using var transaction = connection.BeginTransaction();
        string missing = new('b', 64);
        var error = Assert.Throws<StemeException>(() => Scalar(connection, $"ASSERT ('a', 'p', 'x') DERIVED FROM ('{missing}')", transaction));
        Assert.Equal(StemeErrorCode.UnknownAssertion, error.ErrorCode);
        Assert.Contains($"DERIVED FROM names {missing}", error.Message, StringComparison.Ordinal);
        transaction.Commit();
        Assert.Equal(0, Count(connection, "SELECT hash FROM assertions"));
    }

    [Fact]
    public void A_derived_from_may_name_an_assertion_made_earlier_in_the_same_transaction()
    {
        using var connection = _database.Open("alice");
        using var transaction = connection.BeginTransaction();
        string parent = (string)Scalar(connection, "ASSERT ('a', 'p', 'o')", transaction)!;
        Scalar(connection, $"ASSERT ('b', 'p', 'o') DERIVED FROM ('{parent}')", transaction);
        transaction.Commit();
        Assert.Equal(2, Count(connection, "SELECT hash FROM assertions"));
    }

    [Fact]
    public void Assert_in_a_transaction_reports_the_hash_and_no_lsn_yet()
    {
        using var connection = _database.Open("alice");
        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.CommandText = "ASSERT ('a', 'p', 'o')";
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Matches("^[0-9a-f]{64}$", reader.GetString(0));
        Assert.True(reader.IsDBNull(1));
        Assert.True(reader.GetBoolean(2));
    }

    [Fact]
    public void Misuse_raises_InvalidOperationException()
    {
        using var connection = _database.Open("alice");
        var transaction = connection.BeginTransaction();
        Assert.Throws<InvalidOperationException>(() => connection.BeginTransaction());
        using (var command = new StemeCommand("ASSERT ('a', 'p', 'o')", connection))
            Assert.Throws<InvalidOperationException>(() => command.ExecuteNonQuery());
        transaction.Commit();
        Assert.Throws<InvalidOperationException>(() => transaction.Commit());
        Assert.Throws<InvalidOperationException>(() => transaction.Rollback());
        using var closed = new StemeConnection(_database.ConnectionString());
        Assert.Throws<InvalidOperationException>(() => closed.BeginTransaction());
    }

    public void Dispose() => _database.Dispose();
}

/// <summary>The suite on the embedded store.</summary>
public sealed class EmbeddedTransactionTests() : TransactionTests(StorageBackend.Named("embedded"));

/// <summary>The suite on PostgreSQL.</summary>
public sealed class PostgresTransactionTests() : TransactionTests(StorageBackend.Named("postgres"));
