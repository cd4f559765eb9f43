using System.Diagnostics;
using Microsoft.Data.Sqlite;
using StemeQL.Storage.Embedded;
using StemeQL.Storage.Tests.Support;

namespace StemeQL.Storage.Tests;

[Collection(TimingSensitiveCollection.Name)]
public sealed class BusyWaitTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string ConnectionString => new SqliteConnectionStringBuilder
    {
        DataSource = Path.Combine(_folder.Path, "busy.db"),
        Pooling = false,
    }.ToString();

    [Fact]
    public void The_retry_schedule_starts_at_a_millisecond_and_stops_after_the_timeout()
    {
        Assert.Equal(1, BusyWait.DelayBeforeRetry(0));
        Assert.Equal(2, BusyWait.DelayBeforeRetry(1));
        Assert.Equal(100, BusyWait.DelayBeforeRetry(20));
        int waited = 0, count = 0;
        for (int delay; (delay = BusyWait.DelayBeforeRetry(count)) >= 0; count++) waited += delay;
        Assert.Equal(BusyWait.TimeoutMilliseconds, waited);
        Assert.InRange(count, 290, 310);
    }

    [Fact]
    public async Task A_lock_held_for_a_moment_delays_the_next_writer_by_about_that_moment_not_a_second()
    {
        // The bundled SQLite's own busy timeout sleeps a whole second per retry (it is built without
        // usleep); BusyWait retries within milliseconds. 500 ms is far above a 20 ms lock and far
        // below a one-second sleep, so the bound tells the two apart on a loaded machine.
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

public sealed class PreciseSleepVfsTests
{
    [Fact]
    public void Sqlite_sleeps_the_milliseconds_it_asks_for_not_whole_seconds()
    {
        // The bundled SQLite's own VFS reports (and sleeps) 1,000 ms for a 1 ms sleep.
        SqliteRuntime.EnsureInitialised();
        Assert.Equal(1, PreciseSleepVfs.SleepThroughSqlite(1));
        Assert.Equal(3, PreciseSleepVfs.SleepThroughSqlite(3));
    }
}
