using Npgsql;

namespace StemeQL.Workloads;

/// <summary>A schema of its own on the server for one repetition, dropped afterwards.</summary>
internal sealed class PgSchemaScope : IDisposable
{
    private readonly string _server;
    private readonly string _name = "bench_" + Guid.NewGuid().ToString("N")[..12];

    private PgSchemaScope(string server) => _server = server;

    public static PgSchemaScope Create(string server)
    {
        var schema = new PgSchemaScope(server);
        using var connection = new NpgsqlConnection(server);
        connection.Open();
        PgPeer.Execute(connection, $"CREATE SCHEMA {schema._name}");
        return schema;
    }

    private string Scoped => new NpgsqlConnectionStringBuilder(_server) { SearchPath = _name }.ConnectionString;

    public string StemeConnectionString => new StemeConnectionStringBuilder
    {
        Storage = "postgres",
        DataSource = Scoped,
        Agent = Ingest.Agent,
    }.ConnectionString;

    public NpgsqlConnection OpenNpgsql()
    {
        var connection = new NpgsqlConnection(Scoped);
        connection.Open();
        return connection;
    }

    public void Dispose()
    {
        StemeConnection.ClearAllPools();
        using var connection = new NpgsqlConnection(_server);
        connection.Open();
        PgPeer.Execute(connection, $"DROP SCHEMA {_name} CASCADE");
    }
}
