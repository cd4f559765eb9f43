using Npgsql;
using StemeQL.TestSupport;

namespace StemeQL.Cli.Tests;

/// <summary>The shell, <c>steme check</c> and <c>steme import</c> on a PostgreSQL store named by <c>--connection</c>.</summary>
public sealed class PostgresStoreCommandTests : IDisposable
{
    private readonly string _schema = "cli_" + Guid.NewGuid().ToString("N");
    private readonly string _connection;
    private readonly string _file = Path.Combine(Path.GetTempPath(), "steme-import-" + Guid.NewGuid().ToString("N") + ".jsonl");

    public PostgresStoreCommandTests()
    {
        Execute($"CREATE SCHEMA {_schema}");
        var npgsql = new NpgsqlConnectionStringBuilder(TestServers.Postgres) { SearchPath = _schema }.ConnectionString;
        _connection = new StemeConnectionStringBuilder { Storage = "postgres", DataSource = npgsql, StoreIdleTimeout = 0 }.ConnectionString;
    }

    public void Dispose()
    {
        StemeConnection.ClearAllPools();
        Execute($"DROP SCHEMA IF EXISTS {_schema} CASCADE");
        File.Delete(_file);
    }

    private static void Execute(string sql)
    {
        using var connection = new NpgsqlConnection(TestServers.Postgres);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    [Fact]
    public void The_shell_writes_and_reads_a_PostgreSQL_store_as_the_agent_it_is_given()
    {
        var (code, output, err) = Steme.Run("--connection", _connection, "--agent", "alice", "--csv",
            "-c", "ASSERT ('paris', 'capital_of', 'france'); SELECT subject, agent FROM assertions");
        Assert.True(code == 0, err);
        Assert.Contains("paris,alice", output, StringComparison.Ordinal);

        // A second process-like run sees the first's write: the store is the database, not the process.
        StemeConnection.ClearAllPools();
        (code, output, err) = Steme.Run("--connection", _connection, "--read-only", "--csv", "-c", "SELECT count(*) AS n FROM assertions");
        Assert.True(code == 0, err);
        Assert.Contains("\n1\n", "\n" + output, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_of_a_PostgreSQL_store_finds_and_repairs_a_damaged_view_and_prints_no_journal_line()
    {
        Assert.Equal(0, Steme.Run("--connection", _connection, "-c", "ASSERT ('a', 'p', 'one'); ASSERT ('b', 'p', 'two')").Code);
        var (code, output, err) = Steme.Run("check", "--connection", _connection);
        Assert.True(code == 0, err + output);
        Assert.Contains("assertions:     2 hashes verified", output, StringComparison.Ordinal);
        Assert.DoesNotContain("journal frames", output, StringComparison.Ordinal);

        Execute($"UPDATE {_schema}.mv_set SET total_units = 1");
        (code, output, _) = Steme.Run("check", "--connection", _connection);
        Assert.Equal(1, code);
        Assert.Contains("view_mismatch", output, StringComparison.Ordinal);

        (code, output, _) = Steme.Run("check", "--connection", _connection, "--repair");
        Assert.Equal(1, code);
        Assert.Contains("(views rebuilt from the ledger)", output, StringComparison.Ordinal);
        Assert.Equal(0, Steme.Run("check", "--connection", _connection).Code);
    }

    [Fact]
    public void Import_loads_a_file_into_a_PostgreSQL_store()
    {
        File.WriteAllText(_file, """
            {"subject": "s1", "predicate": "rank", "object": 1}
            {"subject": "s2", "predicate": "rank", "object": 2}
            """);
        var (code, _, err) = Steme.Run("import", _file, "--connection", _connection, "--agent", "importer");
        Assert.True(code == 0, err);
        var (_, output, _) = Steme.Run("--connection", _connection, "--csv", "-c", "SELECT count(*) AS n FROM assertions WHERE agent = 'importer'");
        Assert.Contains("\n2\n", "\n" + output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_connection_string_and_a_folder_together_are_a_usage_error()
    {
        var (code, _, err) = Steme.Run("check", "somefolder", "--connection", _connection);
        Assert.Equal(2, code);
        Assert.Contains("not both", err, StringComparison.Ordinal);
    }
}
