using System.Data.Common;

namespace StemeQL.Tests.Provider;

public sealed class FactoryTests
{
    [Fact]
    public void Factory_creates_provider_objects()
    {
        DbProviderFactory factory = StemeFactory.Instance;
        Assert.IsType<StemeConnection>(factory.CreateConnection());
        Assert.IsType<StemeCommand>(factory.CreateCommand());
        Assert.IsType<StemeParameter>(factory.CreateParameter());
        Assert.IsType<StemeConnectionStringBuilder>(factory.CreateConnectionStringBuilder());
        Assert.False(factory.CanCreateDataSourceEnumerator);
    }

    [Fact]
    public void Connection_reports_its_factory()
    {
        using var connection = new StemeConnection();
        Assert.Same(StemeFactory.Instance, DbProviderFactories.GetFactory(connection));
    }

    [Fact]
    public void Factory_registers_with_DbProviderFactories()
    {
        DbProviderFactories.RegisterFactory("StemeQL", StemeFactory.Instance);
        Assert.Same(StemeFactory.Instance, DbProviderFactories.GetFactory("StemeQL"));
    }

    [Fact]
    public async Task Data_source_from_the_factory_opens_connections()
    {
        await using var source = StemeFactory.Instance.CreateDataSource("Data Source=:memory:");
        await using var connection = await source.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "ASSERT ('a', 'p', 'o')";
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }
}
