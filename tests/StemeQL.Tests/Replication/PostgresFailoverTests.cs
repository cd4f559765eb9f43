using System.Diagnostics;
using System.Globalization;
using Npgsql;
using StemeQL.TestSupport;

namespace StemeQL.Tests.Replication;

/// <summary>StemeQL over a primary + synchronous standby of each test's own: acknowledged writes survive the standby's promotion, and the same connection string carries on.</summary>
public sealed class PostgresFailoverTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Every_write_acknowledged_before_the_primary_is_killed_is_there_after_the_standby_is_promoted()
    {
        await using var pair = await PrivatePostgresPair.StartAsync();
        var acknowledged = new List<string>();
        string france;
        long lastLsn;
        using (var alice = Open(pair, "alice"))
        using (var bob = Open(pair, "bob"))
        {
            france = Scalar(alice, "ASSERT ('paris', 'capital_of', 'france')");
            acknowledged.Add(france);
            acknowledged.Add(Scalar(bob, "ASSERT ('paris', 'capital_of', 'germany') WITH CONFIDENCE 0.5"));
            Execute(bob, $"VOTE '{france}' WEIGHT 1");
            for (int i = 0; i < 50; i++) acknowledged.Add(Scalar(alice, $"ASSERT ('city_{i}', 'population', {i})"));
            lastLsn = alice.LastWriteLsn;
        }

        await pair.KillPrimaryAsync();
        await pair.PromoteStandbyAsync();

        using var carol = await RetryingAsync(() => Open(pair, "carol"));
        Assert.Empty(acknowledged.Except(Rows(carol, "SELECT hash FROM assertions")));
        Assert.Equal(["bob"], Rows(carol, $"SELECT agent FROM votes WHERE assertion = '{france}'"));
        Assert.Equal(["france|2|2"], Rows(carol, "SELECT object, support, candidates FROM assertions USING LENS consensus WHERE subject = 'paris'"));
        Execute(carol, "ASSERT ('rome', 'capital_of', 'italy')");
        Assert.Equal(lastLsn + 1, carol.LastWriteLsn);
    }

    [Fact]
    public async Task A_write_cut_off_by_the_primary_s_death_fails_transient_and_its_retry_after_promotion_duplicates_nothing()
    {
        await using var pair = await PrivatePostgresPair.StartAsync();
        using var alice = Open(pair, "alice");
        Scalar(alice, "ASSERT ('paris', 'capital_of', 'france')");

        await pair.KillPrimaryAsync();
        var error = Assert.Throws<StemeException>(() => Scalar(alice, "ASSERT ('rome', 'capital_of', 'italy')"));
        Assert.True(error.IsTransient, $"not transient: {error.ErrorCode} {error.Message}");
        await pair.PromoteStandbyAsync();

        string rome = await RetryingAsync(() => Scalar(alice, "ASSERT ('rome', 'capital_of', 'italy')"));
        Scalar(alice, "ASSERT ('rome', 'capital_of', 'italy')");
        Assert.Equal([rome], Rows(alice, "SELECT hash FROM assertions WHERE subject = 'rome'"));
    }

    // Host Recheck Seconds=1: Npgsql otherwise skips the promoted standby for up to 10 s after seeing it as a standby.
    private static string ConnectionString(PrivatePostgresPair pair, string agent) => new StemeConnectionStringBuilder
    {
        Storage = "postgres",
        DataSource = new NpgsqlConnectionStringBuilder(pair.MultiHost) { HostRecheckSeconds = 1 }.ConnectionString,
        Agent = agent,
        StoreIdleTimeout = 0,
    }.ConnectionString;

    private static StemeConnection Open(PrivatePostgresPair pair, string agent)
    {
        var connection = new StemeConnection(ConnectionString(pair, agent));
        connection.Open();
        return connection;
    }

    // As an application would: retry transient errors until the promoted standby answers.
    private static async Task<T> RetryingAsync<T>(Func<T> action)
    {
        var elapsed = Stopwatch.StartNew();
        while (true)
        {
            try { return action(); }
            catch (StemeException error) when (error.IsTransient && elapsed.Elapsed < Patience) { await Task.Delay(200); }
        }
    }

    private static string Scalar(StemeConnection connection, string sql)
    {
        using var command = new StemeCommand(sql, connection);
        return (string)command.ExecuteScalar()!;
    }

    private static void Execute(StemeConnection connection, string sql)
    {
        using var command = new StemeCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    private static List<string> Rows(StemeConnection connection, string sql)
    {
        using var command = new StemeCommand(sql, connection);
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
            rows.Add(string.Join("|", Enumerable.Range(0, reader.FieldCount).Select(i => Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture))));
        return rows;
    }
}
