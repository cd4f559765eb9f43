using System.Data;
using StemeQL.Tests.Support;

namespace StemeQL.Tests.Provider;

public sealed class ConnectionTests : IDisposable
{
    private readonly TempFolderDatabase _database = new();

    [Fact]
    public void Open_creates_the_data_folder_on_first_open()
    {
        Assert.False(Directory.Exists(_database.Folder));
        using var connection = _database.Open();
        Assert.True(Directory.Exists(_database.Folder));
        Assert.Equal(ConnectionState.Open, connection.State);
        Assert.Equal(_database.Folder, connection.DataSource);
        Assert.Equal(Path.GetFileName(_database.Folder), connection.Database);
    }

    [Fact]
    public void State_is_closed_until_opened_and_after_close()
    {
        using var connection = new StemeConnection(_database.ConnectionString());
        Assert.Equal(ConnectionState.Closed, connection.State);
        connection.Open();
        connection.Close();
        Assert.Equal(ConnectionState.Closed, connection.State);
        connection.Close();
        connection.Open();
        Assert.Equal(ConnectionState.Open, connection.State);
    }

    [Fact]
    public void StateChange_is_raised_on_open_and_close()
    {
        using var connection = new StemeConnection(_database.ConnectionString());
        var changes = new List<(ConnectionState, ConnectionState)>();
        connection.StateChange += (_, e) => changes.Add((e.OriginalState, e.CurrentState));
        connection.Open();
        connection.Close();
        Assert.Equal([(ConnectionState.Closed, ConnectionState.Open), (ConnectionState.Open, ConnectionState.Closed)], changes);
    }

    [Fact]
    public void Open_twice_throws_InvalidOperationException()
    {
        using var connection = _database.Open();
        Assert.Throws<InvalidOperationException>(connection.Open);
    }

    [Fact]
    public void Open_without_data_source_throws_InvalidOperationException()
    {
        using var connection = new StemeConnection();
        Assert.Throws<InvalidOperationException>(connection.Open);
    }

    [Fact]
    public void Open_after_dispose_throws_ObjectDisposedException()
    {
        var connection = new StemeConnection(_database.ConnectionString());
        connection.Dispose();
        Assert.Throws<ObjectDisposedException>(connection.Open);
    }

    [Fact]
    public void ConnectionString_cannot_change_while_open()
    {
        using var connection = _database.Open();
        Assert.Throws<InvalidOperationException>(() => connection.ConnectionString = "Data Source=elsewhere");
    }

    [Fact]
    public void Unknown_keyword_in_connection_string_throws_ArgumentException()
    {
        var error = Assert.Throws<ArgumentException>(() => new StemeConnection("Data Source=x;Colour=red"));
        Assert.Contains("colour", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task OpenAsync_opens_and_honours_cancellation()
    {
        await using var connection = new StemeConnection(_database.ConnectionString());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => connection.OpenAsync(new CancellationToken(true)));
        await connection.OpenAsync();
        Assert.Equal(ConnectionState.Open, connection.State);
    }

    [Fact]
    public void Memory_data_source_is_private_to_its_connection()
    {
        using var first = new StemeConnection("Data Source=:memory:");
        using var second = new StemeConnection("Data Source=:memory:");
        first.Open();
        second.Open();
        new StemeCommand("ASSERT ('a', 'p', 'o')", first).ExecuteNonQuery();
        Assert.Equal("a", new StemeCommand("SELECT subject FROM assertions", first).ExecuteScalar());
        Assert.Null(new StemeCommand("SELECT subject FROM assertions", second).ExecuteScalar());
    }

    [Fact]
    public void Connections_with_different_agents_share_a_folder()
    {
        using var alice = _database.Open("alice");
        using var bob = _database.Open("bob");
        Assert.Equal("alice", alice.Agent);
        new StemeCommand("ASSERT ('a', 'p', 'o')", alice).ExecuteNonQuery();
        // bob reads his own writes by default; alice's token makes his read include hers.
        Assert.Equal("alice", new StemeCommand("SELECT agent FROM assertions", bob) { MinimumLsn = alice.LastWriteLsn }.ExecuteScalar());
    }

    [Fact]
    public void Data_survives_closing_every_connection()
    {
        using (var connection = _database.Open())
            new StemeCommand("ASSERT ('a', 'p', 'o')", connection).ExecuteNonQuery();
        using var reopened = _database.Open();
        Assert.Equal("a", new StemeCommand("SELECT subject FROM assertions", reopened).ExecuteScalar());
    }

    [Fact]
    public void ChangeDatabase_is_not_supported()
    {
        using var connection = _database.Open();
        Assert.Throws<NotSupportedException>(() => connection.ChangeDatabase("other"));
    }

    [Fact]
    public void CreateCommand_binds_the_connection()
    {
        using var connection = _database.Open();
        using var command = connection.CreateCommand();
        Assert.Same(connection, command.Connection);
    }

    [Fact]
    public void Many_threads_with_their_own_connections_write_at_once()
    {
        const int threads = 8, writes = 25;
        Parallel.For(0, threads, t =>
        {
            using var connection = _database.Open("agent" + t);
            for (int i = 0; i < writes; i++)
                new StemeCommand($"ASSERT ('s{t}', 'p', {i})", connection).ExecuteNonQuery();
        });
        using var check = _database.Open();
        using var reader = new StemeCommand("SELECT lsn FROM assertions", check).ExecuteReader();
        var lsns = new List<long>();
        while (reader.Read()) lsns.Add(reader.GetInt64(0));
        Assert.Equal(threads * writes, lsns.Distinct().Count());
    }

    public void Dispose() => _database.Dispose();
}
