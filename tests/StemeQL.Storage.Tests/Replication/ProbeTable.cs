using Npgsql;

namespace StemeQL.Storage.Tests.Replication;

/// <summary>
/// A table of integer ids with a name of its own, so tests on the shared pair never see each other's rows.
/// Each insert is its own transaction: when it returns, the commit is acknowledged.
/// </summary>
internal sealed class ProbeTable
{
    // Long enough for a commit that waits for a standby being restarted.
    private const int InsertTimeoutSeconds = 120;

    private ProbeTable(string name) => Name = name;

    public string Name { get; }

    /// <summary>Creates the table through <paramref name="connectionString"/> (a primary, or a string that reaches one).</summary>
    public static async Task<ProbeTable> CreateAsync(string connectionString)
    {
        var table = new ProbeTable("replica_probe_" + Guid.NewGuid().ToString("N"));
        await using var connection = await OpenAsync(connectionString);
        await using var command = new NpgsqlCommand($"create table {table.Name} (id int primary key)", connection);
        await command.ExecuteNonQueryAsync();
        return table;
    }

    public static async Task<NpgsqlConnection> OpenAsync(string connectionString)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>Commits one row; returns once the commit is acknowledged.</summary>
    public async Task InsertAsync(NpgsqlConnection connection, int id)
    {
        await using var command = new NpgsqlCommand($"insert into {Name} (id) values ($1)", connection) { CommandTimeout = InsertTimeoutSeconds };
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        await command.ExecuteNonQueryAsync();
    }

    public async Task<bool> ContainsAsync(NpgsqlConnection connection, int id)
    {
        await using var command = new NpgsqlCommand($"select count(*) from {Name} where id = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        return (long)(await command.ExecuteScalarAsync())! == 1;
    }

    public async Task<HashSet<int>> IdsAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand($"select id from {Name}", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new HashSet<int>();
        while (await reader.ReadAsync()) ids.Add(reader.GetInt32(0));
        return ids;
    }
}
