using Npgsql;

namespace StemeQL.Storage.Tests.Replication;

/// <summary>Which server a connection reached, asked of the server itself rather than of the connection string.</summary>
internal sealed record ServerRole(int Port, bool InRecovery)
{
    public static async Task<ServerRole> OfAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand("select inet_server_port(), pg_is_in_recovery()", connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new ServerRole(reader.GetInt32(0), reader.GetBoolean(1));
    }

    /// <summary>The port of a single-host connection string.</summary>
    public static int PortOf(string connectionString) => new NpgsqlConnectionStringBuilder(connectionString).Port;
}
