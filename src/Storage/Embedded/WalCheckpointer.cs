using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace StemeQL.Storage.Embedded;

/// <summary>
/// Copies SQLite's WAL into <c>store.db</c> on a thread and connection of its own, so the ingestor's
/// commits never checkpoint: SQLite's automatic checkpoint ran inside a commit every 1,000 pages,
/// reading each frame back and writing it to the database on the ingestor's thread; here that runs on
/// the other core while the ingestor goes on. A pass is PASSIVE (it never blocks the writer or readers),
/// and requests during a pass coalesce into one more pass.
/// <para>
/// Passes are paced by the WAL's growth, which SQLite reports after each commit
/// (<see cref="WalFrameHook"/>): a commit asks for a pass once the WAL has grown by
/// <see cref="EmbeddedStoreOptions.WalPassFrames"/> frames since the last request, so the thread wakes
/// only for a pass (waking it per commit cost a context switch per single write) and each pass's
/// fsync comes every few hundred small commits, or after every large one.
/// </para>
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

    // After a wait that did not empty the WAL, how long commits go on without waiting.
    private static readonly TimeSpan PinnedBackoff = TimeSpan.FromSeconds(10);

    private readonly SqliteConnection _connection;
    private readonly WalFrameHook _hook;
    private readonly int _passFrames;
    private readonly int _restartFrames;
    private readonly Thread _thread;
    private readonly object _gate = new(); // Monitor.Wait/Pulse need an object lock
    private int _framesAtRequest; // the WAL's frames at the last request; the committing thread's own
    private long _requested;
    private long _covered;
    private bool _coveredAll;
    private DateTime _noWaitUntil;
    private bool _stopping;

    /// <summary>
    /// Hooks <paramref name="writer"/>'s commits (which turns off its automatic checkpoint), opens the
    /// checkpointer's own connection to the same file and starts its thread.
    /// </summary>
    public WalCheckpointer(SqliteConnection writer, int passFrames, int restartFrames)
    {
        _passFrames = Math.Max(1, passFrames);
        _restartFrames = restartFrames;
        // A frame is a page and its 24-byte header.
        long pageSize = SqliteRuntime.Scalar(writer, "PRAGMA page_size") is long size ? size : 4096;
        SqliteRuntime.Execute(writer, "PRAGMA wal_autocheckpoint = 0");
        SqliteRuntime.Execute(writer, $"PRAGMA journal_size_limit = {restartFrames * (pageSize + 24)}");
        _hook = new WalFrameHook(writer);
        _connection = SqliteRuntime.Open(SqliteRuntime.WriterConnectionString(writer.DataSource));
        // It reads WAL frames and writes them to the file once: a small page cache is enough.
        SqliteRuntime.Execute(_connection, "PRAGMA cache_size = -1024");
        _thread = new Thread(Run) { IsBackground = true, Name = "StemeQL checkpoint" };
        _thread.Start();
    }

    /// <summary>
    /// The writer has committed (called on its thread): asks for a pass once the WAL has grown by the
    /// pass size, and when the WAL has reached its bound, waits for a pass that copies this commit so
    /// the next transaction starts the WAL over.
    /// </summary>
    public void Committed()
    {
        int frames = _hook.Frames;
        // Fewer frames than at the last request: the WAL started over since.
        if (frames < _framesAtRequest) _framesAtRequest = 0;
        if (frames < _restartFrames)
        {
            if (frames - _framesAtRequest < _passFrames) return;
            _framesAtRequest = frames;
            Request();
            return;
        }
        _framesAtRequest = frames;
        lock (_gate)
        {
            long ticket = Request();
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

    private long Request()
    {
        lock (_gate)
        {
            long ticket = ++_requested;
            Monitor.Pulse(_gate);
            return ticket;
        }
    }

    private void Run()
    {
        BackgroundPriority.LowerCurrentThread();
        while (true)
        {
            long ticket;
            lock (_gate)
            {
                while (!_stopping && _requested == _covered) Monitor.Wait(_gate);
                if (_stopping) return;
                ticket = _requested;
            }
            int rc = raw.sqlite3_wal_checkpoint_v2(_connection.Handle!, "main", raw.SQLITE_CHECKPOINT_PASSIVE, out int log, out int copied);
            lock (_gate)
            {
                _covered = ticket;
                // A failed pass (busy: a connection closing checkpoints; or an I/O error) changes nothing in
                // the database and the next request tries again, as SQLite's automatic checkpoint would: a
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
        _hook.Dispose();
    }
}
