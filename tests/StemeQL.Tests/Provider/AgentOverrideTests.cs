using StemeQL.Tests.Support;

namespace StemeQL.Tests.Provider;

/// <summary>A writer allowed to write for others (Allow Agent Override) sets the agent per batch command and per bulk row.</summary>
public abstract class AgentOverrideTests : IDisposable
{
    private readonly TestDatabase _database;

    private protected AgentOverrideTests(StorageBackend backend) => _database = backend.CreateDatabase();

    private StemeConnection Open(bool allowOverride)
    {
        var connection = new StemeConnection(new StemeConnectionStringBuilder(_database.ConnectionString("service"))
        {
            AllowAgentOverride = allowOverride,
        }.ConnectionString);
        connection.Open();
        return connection;
    }

    private static List<string> Agents(StemeConnection connection, string relation)
    {
        using var command = new StemeCommand($"SELECT agent FROM {relation} ORDER BY lsn", connection);
        using var reader = command.ExecuteReader();
        var agents = new List<string>();
        while (reader.Read()) agents.Add(reader.GetString(0));
        return agents;
    }

    private static StemeBatch Batch(StemeConnection connection, params (string Text, string? Agent)[] commands)
    {
        var batch = connection.CreateBatch();
        foreach (var (text, agent) in commands) batch.BatchCommands.Add(new StemeBatchCommand(text) { Agent = agent });
        return batch;
    }

    [Fact]
    public void Batch_command_writes_as_its_agent_when_the_connection_allows_it()
    {
        using var connection = Open(allowOverride: true);
        using var batch = Batch(connection, ("ASSERT ('a', 'p', 'o')", "alice"), ("ASSERT ('b', 'p', 'o')", null), ("ASSERT ('c', 'p', 'o')", "bob"));
        batch.ExecuteNonQuery();
        Assert.Equal(["alice", "service", "bob"], Agents(connection, "assertions"));
    }

    [Fact]
    public void Batch_command_vote_is_cast_as_its_agent()
    {
        using var connection = Open(allowOverride: true);
        string hash = (string)new StemeCommand("ASSERT ('a', 'p', 'o')", connection).ExecuteScalar()!;
        var vote = new StemeBatchCommand("VOTE @h WEIGHT 0.5") { Agent = "carol" };
        vote.Parameters.AddWithValue("h", hash);
        using var batch = connection.CreateBatch();
        batch.BatchCommands.Add(vote);
        batch.ExecuteNonQuery();
        Assert.Equal(["carol"], Agents(connection, "votes"));
    }

    [Fact]
    public void Batch_command_agent_is_refused_without_the_setting_and_nothing_is_written()
    {
        using var connection = Open(allowOverride: false);
        using var batch = Batch(connection, ("ASSERT ('a', 'p', 'o')", null), ("ASSERT ('b', 'p', 'o')", "alice"));
        var error = Assert.Throws<StemeException>(() => batch.ExecuteNonQuery());
        Assert.Equal(StemeErrorCode.AgentOverrideNotAllowed, error.ErrorCode);
        Assert.Contains("Allow Agent Override=True", error.Message, StringComparison.Ordinal);
        Assert.Empty(Agents(connection, "assertions"));
    }

    [Fact]
    public void Batch_command_naming_the_connections_own_agent_needs_no_setting()
    {
        using var connection = Open(allowOverride: false);
        using var batch = Batch(connection, ("ASSERT ('a', 'p', 'o')", "service"));
        batch.ExecuteNonQuery();
        Assert.Equal(["service"], Agents(connection, "assertions"));
    }

    [Fact]
    public void Empty_batch_command_agent_is_refused()
    {
        using var connection = Open(allowOverride: true);
        using var batch = Batch(connection, ("ASSERT ('a', 'p', 'o')", " "));
        Assert.Equal(StemeErrorCode.InvalidParameterValue, Assert.Throws<StemeException>(() => batch.ExecuteNonQuery()).ErrorCode);
    }

    [Fact]
    public void Bulk_rows_are_written_as_their_agents_when_the_connection_allows_it()
    {
        using var connection = Open(allowOverride: true);
        var loader = new StemeBulkLoader(connection);
        loader.WriteAssertions([new BulkAssertion("a", "p", 1, Agent: "worker1"), new BulkAssertion("b", "p", 2), new BulkAssertion("c", "p", 3, Agent: "worker2")]);
        string hash = (string)new StemeCommand("SELECT hash FROM assertions WHERE subject = 'a'", connection).ExecuteScalar()!;
        loader.WriteVotes([new BulkVote(hash, 0.5, Agent: "worker3"), new BulkVote(hash, 0.7)]);
        Assert.Equal(["worker1", "service", "worker2"], Agents(connection, "assertions"));
        Assert.Equal(["worker3", "service"], Agents(connection, "votes"));
    }

    [Fact]
    public void Bulk_row_agent_is_refused_without_the_setting()
    {
        using var connection = Open(allowOverride: false);
        var loader = new StemeBulkLoader(connection);
        var error = Assert.Throws<StemeException>(() => loader.WriteAssertions([new BulkAssertion("a", "p", 1), new BulkAssertion("b", "p", 2, Agent: "worker1")]));
        Assert.Equal(StemeErrorCode.AgentOverrideNotAllowed, error.ErrorCode);
        Assert.StartsWith("Row 1:", error.Message, StringComparison.Ordinal);
        Assert.Empty(Agents(connection, "assertions"));
    }

    [Fact]
    public void Bulk_vote_agent_is_refused_without_the_setting()
    {
        using var connection = Open(allowOverride: false);
        string hash = (string)new StemeCommand("ASSERT ('a', 'p', 'o')", connection).ExecuteScalar()!;
        var loader = new StemeBulkLoader(connection);
        var error = Assert.Throws<StemeException>(() => loader.WriteVotes([new BulkVote(hash, 0.5, Agent: "worker1")]));
        Assert.Equal(StemeErrorCode.AgentOverrideNotAllowed, error.ErrorCode);
    }

    public void Dispose() => _database.Dispose();
}

/// <summary>The suite on the embedded store, and the tests that open no store.</summary>
public sealed class EmbeddedAgentOverrideTests() : AgentOverrideTests(StorageBackend.Named("embedded"))
{
    // The tests that open no store run once, here: on PostgreSQL they would test nothing more.

    [Fact]
    public void Allow_Agent_Override_is_off_by_default_and_parses_its_aliases()
    {
        Assert.False(new StemeConnectionStringBuilder("Data Source=x").AllowAgentOverride);
        Assert.True(new StemeConnectionStringBuilder("Data Source=x;AllowAgentOverride=true").AllowAgentOverride);
        Assert.Throws<ArgumentException>(() => new StemeConnectionStringBuilder("Data Source=x;Allow Agent Override=maybe"));
    }
}

/// <summary>The suite on PostgreSQL.</summary>
public sealed class PostgresAgentOverrideTests() : AgentOverrideTests(StorageBackend.Named("postgres"));
