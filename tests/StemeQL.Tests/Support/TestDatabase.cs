using Npgsql;
using StemeQL.TestSupport;

namespace StemeQL.Tests.Support;

/// <summary>A fresh database for one test.</summary>
public abstract class TestDatabase : IDisposable
{
    /// <summary>The connection string for a connection acting as <paramref name="agent"/>.</summary>
    public abstract string ConnectionString(string agent = "anonymous");

    /// <summary>An open connection acting as <paramref name="agent"/>.</summary>
    public StemeConnection Open(string agent = "anonymous")
    {
        var connection = new StemeConnection(ConnectionString(agent));
        connection.Open();
        return connection;
    }

    /// <inheritdoc />
    public abstract void Dispose();
}

/// <summary>A database in a fresh temporary folder, deleted on dispose.</summary>
public sealed class TempFolderDatabase : TestDatabase
{
    /// <summary>Creates the (not yet existing) folder path.</summary>
    public TempFolderDatabase() => Folder = Path.Combine(Path.GetTempPath(), "stemeql-test-" + Guid.NewGuid().ToString("N"));

    /// <summary>The data folder.</summary>
    public string Folder { get; }

    /// <inheritdoc />
    public override string ConnectionString(string agent = "anonymous") =>
        // Closing the last connection closes the store, as tests that hand the folder to a child process
        // need; StoreIdleTimeoutTests cover the warm store.
        new StemeConnectionStringBuilder { DataSource = Folder, Agent = agent, StoreIdleTimeout = 0 }.ConnectionString;

    /// <inheritdoc />
    public override void Dispose()
    {
        try
        {
            if (Directory.Exists(Folder)) Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A store still held by a leaked connection keeps its files; the temp folder is reclaimed later.
        }
    }
}

/// <summary>
/// A database in a fresh schema of the PostgreSQL test server (its Npgsql connection string's Search Path), dropped on dispose.
/// </summary>
public sealed class PostgresSchemaDatabase : TestDatabase
{
    /// <summary>Creates the schema.</summary>
    public PostgresSchemaDatabase()
    {
        Schema = "t_" + Guid.NewGuid().ToString("N");
        Execute($"CREATE SCHEMA {Schema}");
        NpgsqlConnectionString = new NpgsqlConnectionStringBuilder(TestServers.Postgres) { SearchPath = Schema }.ConnectionString;
    }

    /// <summary>The schema's name.</summary>
    public string Schema { get; }

    /// <summary>The Npgsql connection string of the schema (the StemeQL connection's Data Source).</summary>
    public string NpgsqlConnectionString { get; }

    /// <inheritdoc />
    public override string ConnectionString(string agent = "anonymous") =>
        new StemeConnectionStringBuilder { Storage = "postgres", DataSource = NpgsqlConnectionString, Agent = agent, StoreIdleTimeout = 0, ObjectFolder = ObjectFolder }.ConnectionString;

    /// <summary>Where large values go (removed on dispose).</summary>
    public string ObjectFolder { get; } = Path.Combine(Path.GetTempPath(), "stemeql-test-objects-" + Guid.NewGuid().ToString("N"));

    /// <inheritdoc />
    public override void Dispose()
    {
        StemeConnection.ClearAllPools();
        Execute($"DROP SCHEMA IF EXISTS {Schema} CASCADE");
        try
        {
            if (Directory.Exists(ObjectFolder)) Directory.Delete(ObjectFolder, recursive: true);
        }
        catch (IOException)
        {
            // Reclaimed with the temp folder later.
        }
    }

    private static void Execute(string sql)
    {
        using var connection = new NpgsqlConnection(TestServers.Postgres);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
