using Npgsql;

namespace StemeQL.Storage.Tests.Replication;

/// <summary>
/// After the primary is killed and the synchronous standby promoted (<see cref="FailoverScenario"/>), nothing
/// acknowledged is lost and the read-write multi-host connection string carries on against the new primary.
/// </summary>
public sealed class FailoverTests(FailoverScenario scenario) : IClassFixture<FailoverScenario>
{
    [Fact]
    public async Task Every_row_acknowledged_before_the_primary_was_killed_is_on_the_promoted_standby()
    {
        await using var connection = await ProbeTable.OpenAsync(scenario.Pair.Standby);

        var ids = await scenario.Table.IdsAsync(connection);

        Assert.NotEmpty(scenario.Acknowledged);
        Assert.Empty(scenario.Acknowledged.Except(ids));
    }

    [Fact]
    public void The_write_in_flight_when_the_primary_was_killed_fails_with_a_transient_error()
    {
        var error = Assert.IsAssignableFrom<NpgsqlException>(scenario.WriterError);

        Assert.True(error.IsTransient, $"not transient: {error}");
    }

    [Fact]
    public async Task A_read_write_connection_string_reaches_the_promoted_standby_and_writes_there()
    {
        await using var connection = await ProbeTable.OpenAsync(scenario.Pair.MultiHost);

        await scenario.Table.InsertAsync(connection, -1);

        Assert.Equal(new ServerRole(ServerRole.PortOf(scenario.Pair.Standby), InRecovery: false), await ServerRole.OfAsync(connection));
    }
}
