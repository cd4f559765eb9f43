using System.Diagnostics;
using Microsoft.Data.Sqlite;
using StemeQL.Storage.Embedded;
using StemeQL.Storage.Tests.Support;

namespace StemeQL.Storage.Tests;

[Collection(TimingSensitiveCollection.Name)]
public sealed class BusyTimeoutTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string ConnectionString => new SqliteConnectionStringBuilder
    {
        DataSource = Path.Combine(_folder.Path, "busy.db"),
        Pooling = false,
    }.ToString();

    [Fact]
    public async Task A_lock_held_for_a_moment_delays_the_next_writer_by_about_that_moment_not_a_second()
    {
        // A SQLite built without usleep (as SQLitePCLRaw 2.0.6's was) sleeps a whole second per busy retry;
        // the bundled one retries within milliseconds. 500 ms is far above a 20 ms lock and far below a
        // one-second sleep, so the bound tells the two apart on a loaded machine.
        Directory.CreateDirectory(_folder.Path);
        using var holder = SqliteRuntime.Open(ConnectionString);
        SqliteRuntime.Execute(holder, "PRAGMA journal_mode = WAL; CREATE TABLE t (x)");
        using var waiter = SqliteRuntime.Open(ConnectionString);
        SqliteRuntime.Execute(holder, "BEGIN IMMEDIATE");
        var clock = Stopwatch.StartNew();
        long releasedAt = 0;
        var release = Task.Factory.StartNew(() =>
        {
            Thread.Sleep(20);
            SqliteRuntime.Execute(holder, "COMMIT");
            releasedAt = clock.ElapsedMilliseconds;
        }, TaskCreationOptions.LongRunning);

        SQLitePCL.raw.sqlite3_exec(waiter.Handle, "BEGIN IMMEDIATE", out string? error);
        clock.Stop();
        await release;

        Assert.Null(error);
        Assert.InRange(clock.ElapsedMilliseconds - releasedAt, 0, 500);
        SqliteRuntime.Execute(waiter, "INSERT INTO t VALUES (1); COMMIT");
        Assert.Equal(1L, SqliteRuntime.Scalar(holder, "SELECT count(*) FROM t"));
    }
}
