using StemeQL.Tests.Support;

namespace StemeQL.Tests.Provider;

/// <summary>What docs/storage.md says about agents, hash case and the files a clean close leaves.</summary>
public sealed class DocumentedClaimsTests : IDisposable
{
    private readonly TempFolderDatabase _database = new();

    [Theory]
    [InlineData("Data Source=x;Agent=")]
    [InlineData("Data Source=x;Agent= ")]
    [InlineData("Data Source=x;Agent=''")]
    public void Empty_Agent_in_a_connection_string_is_refused(string connectionString)
    {
        var error = Assert.Throws<ArgumentException>(() => new StemeConnection(connectionString));
        Assert.Contains("Agent", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Uppercase_hash_finds_the_assertion_for_VOTE_and_WHERE()
    {
        using var connection = _database.Open("alice");
        string hash = (string)new StemeCommand("ASSERT ('a', 'p', 'o')", connection).ExecuteScalar()!;
        using var vote = new StemeCommand("VOTE @h WEIGHT 0.5", connection);
        vote.Parameters.AddWithValue("h", hash.ToUpperInvariant());
        Assert.Equal(1, vote.ExecuteNonQuery());
        using var query = new StemeCommand("SELECT count(*) FROM assertions WHERE hash = @h", connection);
        query.Parameters.AddWithValue("h", hash.ToUpperInvariant());
        Assert.Equal(1L, query.ExecuteScalar());
    }

    [Fact]
    public void Clean_close_leaves_no_SQLite_wal_or_shm_file()
    {
        using (var connection = new StemeConnection(new StemeConnectionStringBuilder(_database.ConnectionString("alice")) { StoreIdleTimeout = 0 }.ConnectionString))
        {
            connection.Open();
            new StemeCommand("ASSERT ('a', 'p', 'o')", connection).ExecuteNonQuery();
        }
        Assert.False(File.Exists(Path.Combine(_database.Folder, "store.db-wal")), "store.db-wal is left after a clean close.");
        Assert.False(File.Exists(Path.Combine(_database.Folder, "store.db-shm")), "store.db-shm is left after a clean close.");
    }

    public void Dispose() => _database.Dispose();
}
