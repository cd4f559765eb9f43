using System.Diagnostics;
using StemeQL.Tests.Support;

namespace StemeQL.Tests.Provider;

/// <summary>The store stays open (warm, folder locked) for Store Idle Timeout after the last connection closes.</summary>
public sealed class StoreIdleTimeoutTests : IDisposable
{
    private readonly TempFolderDatabase _database = new();

    private string ConnectionString(int idleSeconds) =>
        new StemeConnectionStringBuilder(_database.ConnectionString("alice")) { StoreIdleTimeout = idleSeconds }.ConnectionString;

    private void OpenWriteAndClose(int idleSeconds)
    {
        using var connection = new StemeConnection(ConnectionString(idleSeconds));
        connection.Open();
        using var command = new StemeCommand("ASSERT ('a', 'p', 'o')", connection);
        command.ExecuteNonQuery();
    }

    // Another writer (here another handle, as another process would take it) finds the folder lock free.
    private bool FolderLockIsFree()
    {
        try
        {
            using var file = new FileStream(Path.Combine(_database.Folder, "store.lock"), FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    [Fact]
    public void Store_stays_open_and_keeps_the_folder_locked_after_the_last_close()
    {
        OpenWriteAndClose(idleSeconds: 60);
        Assert.False(FolderLockIsFree());
    }

    [Fact]
    public void Store_closes_and_frees_the_folder_when_the_idle_timeout_runs_out()
    {
        OpenWriteAndClose(idleSeconds: 1);
        var clock = Stopwatch.StartNew();
        while (!FolderLockIsFree() && clock.Elapsed < TimeSpan.FromSeconds(20)) Thread.Sleep(50);
        Assert.True(FolderLockIsFree(), "The folder was still locked 20 s after a 1 s idle timeout.");
    }

    [Fact]
    public void Zero_idle_timeout_closes_the_store_with_the_last_connection()
    {
        OpenWriteAndClose(idleSeconds: 0);
        Assert.True(FolderLockIsFree());
    }

    [Fact]
    public void ClearAllPools_closes_an_idle_store_at_once()
    {
        OpenWriteAndClose(idleSeconds: 60);
        StemeConnection.ClearAllPools();
        Assert.True(FolderLockIsFree());
    }

    [Fact]
    public void Reopening_a_warm_store_sees_what_was_written_before()
    {
        OpenWriteAndClose(idleSeconds: 60);
        using var connection = new StemeConnection(ConnectionString(60));
        connection.Open();
        using var command = new StemeCommand("SELECT count(*) FROM assertions", connection);
        Assert.Equal(1L, command.ExecuteScalar());
    }

    [Fact]
    public void Connection_opened_on_a_warm_store_reads_earlier_connections_writes_through_a_lens()
    {
        for (int i = 0; i < 20; i++)
        {
            using (var writer = new StemeConnection(ConnectionString(60)))
            {
                writer.Open();
                new StemeCommand($"ASSERT ('s{i}', 'p', {i})", writer).ExecuteNonQuery();
            }
            using var reader = new StemeConnection(ConnectionString(60) + ";Consistency=Eventual");
            reader.Open();
            using var command = new StemeCommand($"SELECT object FROM assertions USING LENS consensus WHERE subject = 's{i}' AND predicate = 'p'", reader);
            Assert.Equal((long)i, command.ExecuteScalar());
        }
    }

    [Fact]
    public void Default_idle_timeout_is_a_few_seconds()
    {
        Assert.Equal(5, new StemeConnectionStringBuilder("Data Source=x").StoreIdleTimeout);
        Assert.Equal(StemeConnectionStringBuilder.DefaultStoreIdleTimeout, new StemeConnectionStringBuilder().StoreIdleTimeout);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("soon")]
    [InlineData("86401")]
    public void Invalid_idle_timeout_is_refused(string value)
    {
        var error = Assert.Throws<ArgumentException>(() => new StemeConnectionStringBuilder("Data Source=x;Store Idle Timeout=" + value));
        Assert.Contains("Store Idle Timeout", error.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        StemeConnection.ClearAllPools();
        _database.Dispose();
    }
}
