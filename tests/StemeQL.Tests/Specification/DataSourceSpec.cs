using System.Data;
using System.Data.Common;
using Microsoft.Extensions.Logging.Abstractions;

namespace StemeQL.Tests.Specification;

/// <summary>StemeDataSource and StemeDataSourceBuilder (ADO.NET's DbDataSource).</summary>
public sealed class DataSourceSpec : SpecFixture
{
    [Fact]
    public void Build_makes_a_data_source_with_the_builders_connection_string()
    {
        var builder = new StemeDataSourceBuilder(Database.ConnectionString());
        builder.ConnectionStringBuilder.Agent = "bob";
        using var dataSource = builder.Build();
        Assert.Contains("Agent=bob", dataSource.ConnectionString, StringComparison.Ordinal);
    }

    [Fact]
    public void OpenConnection_gives_an_open_connection_that_writes_as_the_configured_agent()
    {
        using var dataSource = new StemeDataSourceBuilder(new StemeConnectionStringBuilder { DataSource = Database.Folder, Agent = "bob" }.ConnectionString).Build();
        using var connection = dataSource.OpenConnection();
        Assert.Equal(ConnectionState.Open, connection.State);
        Assert.Equal("bob", connection.Agent);
    }

    [Fact]
    public async Task OpenConnectionAsync_gives_an_open_connection()
    {
        await using var dataSource = StemeDataSource.Create(Database.ConnectionString());
        await using var connection = await dataSource.OpenConnectionAsync();
        Assert.Equal(ConnectionState.Open, connection.State);
    }

    [Fact]
    public void CreateConnection_gives_a_closed_connection()
    {
        using var dataSource = StemeDataSource.Create(Database.ConnectionString());
        using var connection = dataSource.CreateConnection();
        Assert.Equal(ConnectionState.Closed, connection.State);
        Assert.Equal(dataSource.ConnectionString, connection.ConnectionString);
    }

    [Fact]
    public void CreateCommand_runs_on_a_connection_of_its_own()
    {
        using var dataSource = StemeDataSource.Create(Database.ConnectionString());
        using (var command = dataSource.CreateCommand("ASSERT ('s', 'p', 'o')")) command.ExecuteNonQuery();
        Assert.Equal(1, CountAssertions());
    }

    [Fact]
    public void The_factory_creates_a_StemeDataSource()
    {
        using var dataSource = StemeFactory.Instance.CreateDataSource(Database.ConnectionString());
        Assert.IsType<StemeDataSource>(dataSource);
    }

    [Fact]
    public void A_bad_connection_string_fails_when_the_data_source_is_built()
    {
        Assert.Throws<ArgumentException>(() => StemeDataSource.Create("Data Source=x;Colour=blue"));
    }

    [Fact]
    public void UseLoggerFactory_passes_the_factory_to_every_connection()
    {
        using var loggerFactory = new NullLoggerFactory();
        using var dataSource = new StemeDataSourceBuilder(Database.ConnectionString()).UseLoggerFactory(loggerFactory).Build();
        using var connection = dataSource.CreateConnection();
        Assert.Same(loggerFactory, connection.LoggerFactory);
    }

    [Fact]
    public void A_connection_made_without_a_data_source_has_no_logger_factory()
    {
        Assert.Null(new StemeConnection(Database.ConnectionString()).LoggerFactory);
    }

    [Fact]
    public void Dispose_closes_the_connections_it_made()
    {
        var dataSource = StemeDataSource.Create(Database.ConnectionString());
        using var connection = dataSource.OpenConnection();
        dataSource.Dispose();
        Assert.Equal(ConnectionState.Closed, connection.State);
    }

    [Fact]
    public void A_disposed_data_source_makes_no_connections()
    {
        var dataSource = StemeDataSource.Create(Database.ConnectionString());
        dataSource.Dispose();
        Assert.Throws<ObjectDisposedException>(() => dataSource.CreateConnection());
    }

    [Fact]
    public void A_data_source_is_a_DbDataSource()
    {
        using DbDataSource dataSource = StemeDataSource.Create(Database.ConnectionString());
        using var connection = dataSource.OpenConnection();
        Assert.IsType<StemeConnection>(connection);
    }
}
