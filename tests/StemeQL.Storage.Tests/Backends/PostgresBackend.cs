using Npgsql;
using StemeQL.Core.Lenses;
using StemeQL.Storage.Abstractions;
using StemeQL.Storage.Postgres;
using StemeQL.Storage.Tests.Support;
using StemeQL.TestSupport;

namespace StemeQL.Storage.Tests.Backends;

/// <summary>
/// The PostgreSQL backend: each store lives in a schema of its own on the test server (tools/test-servers/postgres.sh),
/// named by the connection string's Search Path, so tests stay independent and run in parallel; the schema is dropped on dispose.
/// </summary>
internal sealed class PostgresBackend : StoreBackend
{
    internal override IBackendStore Create(IReadOnlyList<ILens>? lenses = null) => new Instance(lenses);

    public override string ToString() => "postgres";

    /// <summary>A fresh, empty schema on the test server, dropped on dispose.</summary>
    internal sealed class TestSchema : IDisposable
    {
        public TestSchema()
        {
            Name = "t_" + Guid.NewGuid().ToString("N");
            Scalar(TestServers.Postgres, $"CREATE SCHEMA {Name}");
            ConnectionString = new NpgsqlConnectionStringBuilder(TestServers.Postgres) { SearchPath = Name }.ConnectionString;
        }

        public string Name { get; }

        /// <summary>An Npgsql connection string whose unqualified tables are this schema's.</summary>
        public string ConnectionString { get; }

        /// <summary>Runs <paramref name="sql"/> in this schema, on a connection of its own.</summary>
        public void Execute(string sql) => Scalar(sql);

        /// <summary>Runs <paramref name="sql"/> in this schema, on a connection of its own; returns the first column of its first row.</summary>
        public object? Scalar(string sql) => Scalar(ConnectionString, sql);

        public void Dispose() => Scalar(TestServers.Postgres, $"DROP SCHEMA IF EXISTS {Name} CASCADE");

        private static object? Scalar(string connectionString, string sql)
        {
            using var connection = new NpgsqlConnection(connectionString);
            connection.Open();
            using var command = new NpgsqlCommand(sql, connection);
            return command.ExecuteScalar();
        }
    }

    private sealed class Instance : IBackendStore
    {
        private readonly TestSchema _schema = new();

        public Instance(IReadOnlyList<ILens>? lenses)
        {
            Time = new ManualTime(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));
            Store = Open(lenses);
        }

        public IEpistemeStore Store { get; private set; }

        public ManualTime Time { get; }

        public void Reopen(IReadOnlyList<ILens>? lenses = null)
        {
            Store.Dispose();
            Store = Open(lenses);
        }

        public void Dispose()
        {
            Store.Dispose();
            _schema.Dispose();
        }

        private PostgresStore Open(IReadOnlyList<ILens>? lenses) =>
            PostgresStore.Open(_schema.ConnectionString, new StoreSettings(_schema.ConnectionString), lenses ?? DefaultLenses, Time);
    }
}
