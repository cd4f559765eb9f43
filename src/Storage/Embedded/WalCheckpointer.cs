using System.Diagnostics;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace StemeQL.Storage.Embedded;

/// <summary>
/// Copies SQLite's WAL into <c>store.db</c> on a thread and connection of its own, so the ingestor's
/// commits never checkpoint (the writer runs with <c>wal_autocheckpoint = 0</c>): SQLite's automatic
/// checkpoint ran inside a commit every 1,000 pages, i.e. after nearly every chunk, reading each frame
/// back and writing it to the database on the ingestor's thread; here that runs on the other core
/// while the ingestor goes on. Each commit wakes it; a pass is PASSIVE (it never blocks the writer or
/// readers), and wake-ups during a pass coalesce into one more pass, which copies a page rewritten by
/// several commits once. Passes start at most every <see cref="MinPassInterval"/>: each one fsyncs the
/// WAL, and one pass per commit of single writes added a flush beside nearly every journal fsync.
/// <para>
/// SQLite starts the WAL over only when the writer begins a transaction with every frame already
/// copied, which a steady writer racing a concurrent checkpoint seldom allows: once the WAL holds
/// <see cref="EmbeddedStoreOptions.WalRestartFrames"/> frames, the commit waits (at most
/// <see cref="MaxRestartWait"/>) for a pass that covers it, so the next transaction restarts the
/// WAL and its size stays bounded.
/// </para>
/// </summary>
internal sealed class WalCheckpointer : IDisposable
{
    /// <summary>The longest a commit waits for the WAL to be copied (a reader holding an old snapshot can prevent it).</summary>
    public static readonly TimeSpan MaxRestartWait = TimeSpan.FromSeconds(1);

    /// <summary>The shortest time between the starts of two passes, unless a commit waits for one.</summary>
    public static readonly TimeSpan MinPassInterval = TimeSpan.FromMilliseconds(50);

    // After a wait that did not empty the WAL, how long commits go on without waiting.
    private static readonly TimeSpan PinnedBackoff = TimeSpan.FromSeconds(10);

    private readonly SqliteConnection _connection;
    private readonly string _walPath;
    private readonly long _limitBytes;
    private readonly Thread _thread;
    private readonly object _gate = new(); // Monitor.Wait/Pulse need an object lock
    private long _requested;
    private long _urgent; // the newest ticket a commit waits for
    private long _covered;
    private bool _coveredAll;
    private DateTime _noWaitUntil;
    private bool _stopping;

    /// <summary>
    /// Turns off the automatic checkpoint of <paramref name="writer"/>, opens the checkpointer's own
    /// connection to the same file and starts its thread.
    /// </summary>
    public WalCheckpointer(SqliteConnection writer, int restartFrames)
    {
        _walPath = writer.DataSource + "-wal";
        // A frame is a page and its 24-byte header.
        long pageSize = SqliteRuntime.Scalar(writer, "PRAGMA page_size") is long size ? size : 4096;
        _limitBytes = restartFrames * (pageSize + 24);
        SqliteRuntime.Execute(writer, "PRAGMA wal_autocheckpoint = 0");
        SqliteRuntime.Execute(writer, $"PRAGMA journal_size_limit = {_limitBytes}");
        _connection = SqliteRuntime.Open(SqliteRuntime.WriterConnectionString(writer.DataSource));
        // It reads WAL frames and writes them to the file once: a small page cache is enough.
        SqliteRuntime.Execute(_connection, "PRAGMA cache_size = -1024");
        _thread = new Thread(Run) { IsBackground = true, Name = "StemeQL checkpoint" };
        _thread.Start();
    }

    /// <summary>
    /// The writer has committed: wakes the checkpointer, and when the WAL has grown past its bound,
    /// waits for a pass that copies this commit so the next transaction starts the WAL over.
    /// </summary>
    public void Committed()
    {
        // SQLite cuts the file back to journal_size_limit when the WAL starts over, so a longer file is a
        // WAL that has not started over since it passed the bound.
        var wal = new FileInfo(_walPath);
        if (!wal.Exists || wal.Length <= _limitBytes)
        {
            Wake();
            return;
        }
        lock (_gate)
        {
            long ticket = ++_requested;
            _urgent = ticket;
            Monitor.Pulse(_gate);
            if (DateTime.UtcNow < _noWaitUntil) return;
            var deadline = DateTime.UtcNow + MaxRestartWait;
            while (_covered < ticket && !_stopping)
            {
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero) break;
                Monitor.Wait(_gate, left);
            }
            // A reader holding an old snapshot keeps frames in the WAL however long the writer waits:
            // then the WAL grows (as with SQLite's own checkpoints) rather than the ingestor slowing down.
            if (_covered < ticket || !_coveredAll) _noWaitUntil = DateTime.UtcNow + PinnedBackoff;
        }
    }

    private void Wake()
    {
        lock (_gate)
        {
            _requested++;
            Monitor.Pulse(_gate);
        }
    }

    private void Run()
    {
        long lastPass = 0;
        while (true)
        {
            long ticket;
            lock (_gate)
            {
                while (!_stopping && _requested == _covered) Monitor.Wait(_gate);
                // Paced: later commits join this pass, unless one of them waits for it.
                while (!_stopping && _urgent <= _covered)
                {
                    var left = MinPassInterval - Stopwatch.GetElapsedTime(lastPass);
                    if (left <= TimeSpan.Zero) break;
                    Monitor.Wait(_gate, left);
                }
                if (_stopping) return;
                ticket = _requested;
            }
            lastPass = Stopwatch.GetTimestamp();
            int rc = raw.sqlite3_wal_checkpoint_v2(_connection.Handle!, "main", raw.SQLITE_CHECKPOINT_PASSIVE, out int log, out int copied);
            lock (_gate)
            {
                _covered = ticket;
                // A failed pass (busy: a connection closing checkpoints; or an I/O error) changes nothing in
                // the database and the next commit tries again, as SQLite's automatic checkpoint would: a
                // lasting failure (a full disk) stops the store when the writer's own WAL writes fail.
                _coveredAll = rc == raw.SQLITE_OK && copied == log;
                Monitor.PulseAll(_gate);
            }
        }
    }

    /// <summary>Stops the thread (after the pass in hand) and closes the connection.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _stopping = true;
            Monitor.PulseAll(_gate);
        }
        if (_thread.IsAlive) _thread.Join();
        _connection.Dispose();
    }
}
