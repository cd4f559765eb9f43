using Npgsql;
using StemeQL.TestSupport;

namespace StemeQL.Storage.Tests.Replication;

/// <summary>Npgsql's multi-host connection strings pick the server by Target Session Attributes, whatever the host order.</summary>
public sealed class ReadRoutingTests
{
    [Fact]
    public async Task A_prefer_standby_connection_string_lands_on_the_standby()
    {
        await using var connection = await ProbeTable.OpenAsync(TestServers.PostgresMultiHostRead);

        var role = await ServerRole.OfAsync(connection);

        Assert.Equal(new ServerRole(ServerRole.PortOf(TestServers.PostgresStandby), InRecovery: true), role);
    }

    [Fact]
    public async Task A_read_write_connection_string_lands_on_the_primary_when_the_standby_is_listed_first()
    {
        int primary = ServerRole.PortOf(TestServers.PostgresPrimary), standby = ServerRole.PortOf(TestServers.PostgresStandby);
        var builder = new NpgsqlConnectionStringBuilder(TestServers.PostgresMultiHost) { Host = $"127.0.0.1:{standby},127.0.0.1:{primary}" };
        await using var connection = await ProbeTable.OpenAsync(builder.ConnectionString);

        var role = await ServerRole.OfAsync(connection);

        Assert.Equal(new ServerRole(primary, InRecovery: false), role);
    }
}
