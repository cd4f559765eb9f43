using Npgsql;
using StemeQL.Storage.Abstractions;
using StemeQL.Storage.Postgres;
using StemeQL.TestSupport;
using static StemeQL.Storage.Tests.Support.Writes;

namespace StemeQL.Storage.Tests.Replication;

/// <summary>A read-only PostgreSQL store reads from the standby of a multi-host Data Source, through Npgsql's routing.</summary>
public sealed class ReadOnlyRoutingTests : IDisposable
{
    private readonly string _schema = "ro_" + Guid.NewGuid().ToString("N")[..12];
    private readonly string _application = "stemeql-ro-" + Guid.NewGuid().ToString("N")[..8];

    public ReadOnlyRoutingTests() => Execute($"CREATE SCHEMA {_schema}");

    public void Dispose() => Execute($"DROP SCHEMA IF EXISTS {_schema} CASCADE");

    private static void Execute(string sql)
    {
        using var connection = new NpgsqlConnection(TestServers.PostgresPrimary);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    [Fact]
    public void A_read_only_store_on_both_hosts_reads_from_the_standby_and_sees_the_primary_s_writes()
    {
        string writer = DataSource("read-write", "stemeql-writer");
        using (var store = PostgresStore.Open(writer)) store.Assert(A("paris", "capital_of", "france"));
        string reader = DataSource(null, _application);

        using var readOnly = PostgresStore.Open(reader, new StoreSettings(reader) { ReadOnly = true });

        Assert.Equal("france", readOnly.LookupView("consensus", new KeyFilter(["paris"], ["capital_of"])).Single().Winner.Assertion.Object.AsText);
        // Npgsql may keep a session on the primary, opened to learn its role; the read ran on the standby.
        Assert.Equal(1L, Reads(TestServers.PostgresStandby));
        Assert.Equal(0L, Reads(TestServers.PostgresPrimary));
    }

    [Fact]
    public void A_read_only_store_keeps_the_Target_Session_Attributes_its_Data_Source_names()
    {
        string writer = DataSource("read-write", _application);
        using (var store = PostgresStore.Open(writer)) store.Assert(A("paris", "capital_of", "france"));

        using var readOnly = PostgresStore.Open(writer, new StoreSettings(writer) { ReadOnly = true });

        Assert.Single(readOnly.LookupView("consensus", new KeyFilter(["paris"], ["capital_of"])));
        Assert.Equal(1L, Reads(TestServers.PostgresPrimary));
        Assert.Equal(0L, Reads(TestServers.PostgresStandby));
    }

    // Both hosts, the primary first: only the routing can send a connection to the standby.
    private string DataSource(string? targetSessionAttributes, string application)
    {
        var primary = new NpgsqlConnectionStringBuilder(TestServers.PostgresPrimary);
        var standby = new NpgsqlConnectionStringBuilder(TestServers.PostgresStandby);
        var builder = new NpgsqlConnectionStringBuilder(TestServers.PostgresMultiHost)
        {
            Host = $"{primary.Host}:{primary.Port},{standby.Host}:{standby.Port}",
            SearchPath = _schema,
            ApplicationName = application,
            TargetSessionAttributes = targetSessionAttributes,
        };
        return builder.ConnectionString;
    }

    // The store's pooled sessions on a server (idle between reads; the pool keeps them) whose last statement was the view read.
    private long Reads(string server)
    {
        using var connection = new NpgsqlConnection(server);
        connection.Open();
        using var command = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE application_name = $1 AND query LIKE '%FROM mv_winner%'", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = _application });
        return (long)command.ExecuteScalar()!;
    }
}
