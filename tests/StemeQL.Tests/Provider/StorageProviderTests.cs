using StemeQL.Storage;
using StemeQL.Storage.Abstractions;
using StemeQL.Storage.Embedded;
using StemeQL.Tests.Support;

namespace StemeQL.Tests.Provider;

public sealed class StorageProviderTests : IDisposable
{
    private readonly TempFolderDatabase _database = new();

    [Fact]
    public void Storage_defaults_to_embedded()
    {
        Assert.Equal("embedded", new StemeConnectionStringBuilder("Data Source=db").Storage);
    }

    [Fact]
    public void Storage_round_trips_through_the_connection_string()
    {
        var builder = new StemeConnectionStringBuilder { DataSource = "db", Storage = "Embedded" };
        Assert.Equal("Embedded", new StemeConnectionStringBuilder(builder.ConnectionString).Storage);
    }

    [Fact]
    public void Open_with_storage_named_in_any_case_opens_the_embedded_store()
    {
        using var connection = new StemeConnection(_database.ConnectionString() + ";Storage=EMBEDDED");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "ASSERT ('a', 'p', 'o')";
        command.ExecuteNonQuery();
        Assert.True(Directory.Exists(_database.Folder));
    }

    [Fact]
    public void Open_with_an_unknown_storage_fails_with_InvalidConnectionString_naming_the_known_providers()
    {
        using var connection = new StemeConnection(_database.ConnectionString() + ";Storage=cassandra");
        var error = Assert.Throws<StemeException>(connection.Open);
        Assert.Equal(StemeErrorCode.InvalidConnectionString, error.ErrorCode);
        Assert.Contains("'cassandra'", error.Message, StringComparison.Ordinal);
        Assert.Contains("embedded", error.Message, StringComparison.Ordinal);
        Assert.Equal(System.Data.ConnectionState.Closed, connection.State);
        Assert.False(Directory.Exists(_database.Folder));
    }

    [Fact]
    public void A_blank_storage_is_refused_when_set()
    {
        Assert.Throws<ArgumentException>(() => new StemeConnectionStringBuilder { Storage = " " });
    }

    [Fact]
    public async Task The_data_source_builder_sets_the_storage()
    {
        var builder = new StemeDataSourceBuilder(_database.ConnectionString()).UseStorage("cassandra");
        Assert.Equal("cassandra", builder.ConnectionStringBuilder.Storage);
        await using var dataSource = builder.Build();
        var error = await Assert.ThrowsAsync<StemeException>(async () => await dataSource.OpenConnectionAsync());
        Assert.Equal(StemeErrorCode.InvalidConnectionString, error.ErrorCode);
    }

    [Fact]
    public void A_registered_provider_is_the_one_the_Storage_keyword_opens_through()
    {
        var provider = new CountingProvider("counting-" + Guid.NewGuid().ToString("N"));
        StoreProviders.Register(provider);
        using (var connection = new StemeConnection(_database.ConnectionString() + ";Storage=" + provider.Name))
        {
            connection.Open();
        }
        Assert.Equal(1, provider.Acquired);
        Assert.Contains(provider.Name, StoreProviders.Names);
    }

    [Fact]
    public void Registering_a_second_provider_under_a_taken_name_is_refused()
    {
        Assert.Throws<ArgumentException>(() => StoreProviders.Register(new CountingProvider("embedded")));
    }

    public void Dispose() => _database.Dispose();

    // A second name for the embedded store, counting how often it is asked: a real store, not a mock.
    private sealed class CountingProvider(string name) : IStoreProvider
    {
        public int Acquired { get; private set; }

        public string Name => name;

        public IStoreLease Acquire(StoreSettings settings)
        {
            Acquired++;
            return EmbeddedStoreProvider.Instance.Acquire(settings);
        }

        public void CloseIdle() { }
    }

    [Fact]
    public void Storage_postgres_shares_one_database_between_connections_with_the_consensus_of_their_writes()
    {
        using var database = new PostgresSchemaDatabase();
        using var alice = database.Open("alice");
        using var bob = database.Open("bob");
        string france = Scalar(alice, "ASSERT ('paris', 'capital_of', 'france')");
        Scalar(bob, "ASSERT ('paris', 'capital_of', 'germany') WITH CONFIDENCE 0.5");
        Scalar(bob, $"VOTE '{france}' WEIGHT 1");

        Assert.Equal(["france:String|2:Double|2:Int64"], ResultRows.Of(alice, "SELECT object, support, candidates FROM assertions USING LENS consensus WHERE subject = 'paris'"));
        Assert.Equal(["germany:String"], ResultRows.Of(alice, "SELECT object FROM assertions USING LENS recency WHERE subject = 'paris'"));
    }

    [Fact]
    public void A_postgres_connection_shows_its_data_source_without_the_password()
    {
        using var database = new PostgresSchemaDatabase();
        var builder = new StemeConnectionStringBuilder(database.ConnectionString())
        {
            DataSource = new Npgsql.NpgsqlConnectionStringBuilder(database.NpgsqlConnectionString) { Password = "hunter2" }.ConnectionString,
        };
        using var connection = new StemeConnection(builder.ConnectionString);
        connection.Open();

        Assert.DoesNotContain("hunter2", connection.DataSource, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", connection.Database, StringComparison.Ordinal);
        Assert.Contains(database.Schema, connection.DataSource, StringComparison.Ordinal);
    }

    [Fact]
    public void A_large_value_on_postgres_goes_to_the_object_folder_and_reads_back_whole()
    {
        using var database = new PostgresSchemaDatabase();
        using var connection = database.Open();
        var bytes = new byte[100_000];
        new Random(7).NextBytes(bytes);
        using (var command = new StemeCommand("ASSERT ('doc', 'body', @body)", connection))
        {
            command.Parameters.AddWithValue("body", bytes);
            command.ExecuteNonQuery();
        }

        Assert.Single(Directory.GetFiles(database.ObjectFolder, "*", SearchOption.AllDirectories));
        using var read = new StemeCommand("SELECT object FROM assertions WHERE subject = 'doc'", connection);
        Assert.Equal(bytes, (byte[])read.ExecuteScalar()!);
    }

    private static string Scalar(StemeConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar()?.ToString() ?? "";
    }
}
