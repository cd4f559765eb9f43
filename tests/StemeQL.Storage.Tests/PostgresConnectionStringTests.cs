using StemeQL.Storage.Postgres;

namespace StemeQL.Storage.Tests;

/// <summary>How a PostgreSQL Data Source is described (<c>StemeConnection.DataSource</c>, errors, <c>steme</c>): no server needed.</summary>
public sealed class PostgresConnectionStringTests
{
    [Theory]
    [InlineData("Host=db1;Port=5433;Database=kg", "PostgreSQL db1:5433/kg")]
    [InlineData("Host=db1:5433,db2:5434;Database=kg", "PostgreSQL db1:5433,db2:5434/kg")]
    // A host without a port of its own connects on Port.
    [InlineData("Host=db1, db2:5434;Port=6000;Database=kg", "PostgreSQL db1:6000,db2:5434/kg")]
    [InlineData("Host=[::1]:5433,::1;Port=6000;Database=kg", "PostgreSQL [::1]:5433,[::1]:6000/kg")]
    [InlineData("Host=db1:5433,db2:5434;Database=kg;Search Path=facts;Password=hunter2", "PostgreSQL db1:5433,db2:5434/kg (schema facts)")]
    public void Each_host_is_described_with_the_port_it_is_reached_on(string dataSource, string expected)
    {
        Assert.Equal(expected, PostgresStoreProvider.Instance.Describe(dataSource));
    }
}
