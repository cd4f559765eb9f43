using Npgsql;
using StemeQL.TestSupport;

namespace StemeQL.Storage.Tests;

/// <summary>The PostgreSQL server tools/test-servers/postgres.sh starts is there for the PostgreSQL tier; this proves the plumbing.</summary>
public sealed class TestServerTests
{
    [Fact]
    public async Task The_test_PostgreSQL_server_answers_select_1()
    {
        await using var connection = new NpgsqlConnection(TestServers.Postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select 1", connection);
        Assert.Equal(1, await command.ExecuteScalarAsync());
    }
}
