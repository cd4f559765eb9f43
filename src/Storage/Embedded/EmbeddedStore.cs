using System.Globalization;
using Microsoft.Data.Sqlite;
using StemeQL.Core.Lenses;
using StemeQL.Core.Model;
using StemeQL.Storage.Abstractions;

namespace StemeQL.Storage.Embedded;

/// <summary>
/// The embedded storage tier: one SQLite database in WAL mode per data folder (<c>folder/store.db</c>)
/// holding the ledgers of assertions and votes and the materialized views of the <c>consensus</c> and
/// <c>recency</c> lenses, which every write updates incrementally in its own transaction.
/// Writes go through one connection under a lock; each read streams from its own pooled connection,
/// so reads never wait for writes. Connections share an instance through <see cref="StoreRegistry"/>.
/// </summary>
public sealed partial class EmbeddedStore : IEpistemeStore
{
    /// <summary>The database file's name inside the data folder.</summary>
    public const string DatabaseFileName = "store.db";

    private static readonly IReadOnlyCollection<string> Lenses = [LensNames.Consensus, LensNames.Recency];

    private readonly string _databasePath;
    private readonly string _readerConnectionString;
    private readonly TimeProvider _time;
    private readonly FolderLock _folderLock;
    private readonly SqliteConnection _writer;
    private readonly LedgerWriter _ledger;
    private readonly ViewMaintenance _views;
    private readonly Lock _writeLock = new();
    private long _lastLsn;
    private long _lastStampTicks;
    private long _assertionCount;
    private volatile bool _disposed;

    private EmbeddedStore(string folder, TimeProvider time, FolderLock folderLock, SqliteConnection writer)
    {
        Folder = folder;
        _databasePath = Path.Combine(folder, DatabaseFileName);
        _readerConnectionString = SqliteRuntime.ReaderConnectionString(_databasePath);
        _time = time;
        _folderLock = folderLock;
        _writer = writer;
        _lastLsn = ToLong(SqliteRuntime.Scalar(writer,
            "SELECT max(coalesce((SELECT max(lsn) FROM assertions), 0), coalesce((SELECT max(lsn) FROM votes), 0))"));
        _lastStampTicks = ToLong(SqliteRuntime.Scalar(writer,
            "SELECT max(coalesce((SELECT max(asserted_at) FROM assertions), 0), coalesce((SELECT max(voted_at) FROM votes), 0))"));
        _assertionCount = ToLong(SqliteRuntime.Scalar(writer, "SELECT coalesce(sum(assertion_count), 0) FROM mv_set"));
        _ledger = new LedgerWriter(writer);
        _views = new ViewMaintenance(writer);
    }

    /// <summary>
    /// Opens (creating when missing) the store in <paramref name="folder"/>. Most callers want
    /// <see cref="StoreRegistry.Acquire"/>, which shares one instance per folder; a folder can be open
    /// in one instance at a time (a second gets <see cref="StemeErrorCode.DatabaseLocked"/>).
    /// </summary>
    /// <param name="folder">The data folder; created on first open.</param>
    /// <param name="timeProvider">The clock that stamps <c>asserted_at</c> / <c>voted_at</c>; the system clock by default.</param>
    /// <exception cref="StemeException">The folder is in use (DatabaseLocked), or cannot be created or read, or holds a newer schema (StorageFailure).</exception>
    public static EmbeddedStore Open(string folder, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        try
        {
            Directory.CreateDirectory(full);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new StemeException(StemeErrorCode.StorageFailure,
                $"The data folder '{full}' cannot be created: check the path and this process's permissions. ({error.Message})", error);
        }
        var folderLock = FolderLock.Acquire(full);
        SqliteConnection? writer = null;
        string databasePath = Path.Combine(full, DatabaseFileName);
        try
        {
            SqliteRuntime.EnsureInitialised();
            writer = new SqliteConnection(SqliteRuntime.WriterConnectionString(databasePath));
            writer.Open();
            SqliteRuntime.Execute(writer, "PRAGMA journal_mode = WAL");
            // The journal in front of the store (a later tier) makes writes durable; until then NORMAL
            // keeps WAL commits atomic and consistent, losing at most the last commits on power loss.
            SqliteRuntime.Execute(writer, "PRAGMA synchronous = NORMAL");
            Schema.EnsureCreated(writer, databasePath);
            return new EmbeddedStore(full, timeProvider ?? TimeProvider.System, folderLock, writer);
        }
        catch (SqliteException error)
        {
            writer?.Dispose();
            folderLock.Dispose();
            throw SqliteRuntime.Translate(error, databasePath, "opening the store");
        }
        catch
        {
            writer?.Dispose();
            folderLock.Dispose();
            throw;
        }
    }

    /// <summary>The data folder (full path).</summary>
    public string Folder { get; }

    /// <inheritdoc />
    public IReadOnlyCollection<string> MaterializedLenses => Lenses;

    /// <inheritdoc />
    public long LastLsn => Volatile.Read(ref _lastLsn);

    /// <summary>Closes the writer and the pooled readers and releases the folder; waits for a write in progress.</summary>
    public void Dispose()
    {
        lock (_writeLock)
        {
            if (_disposed) return;
            _disposed = true;
            _views.Dispose();
            _ledger.Dispose();
            // Idle pooled readers close now (busy ones when they finish), so the writer closes last and
            // SQLite checkpoints the WAL back into store.db.
            using (var reader = new SqliteConnection(_readerConnectionString)) SqliteConnection.ClearPool(reader);
            _writer.Dispose();
            _folderLock.Dispose();
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    private StemeException Translate(SqliteException error, string doing) => SqliteRuntime.Translate(error, _databasePath, doing);

    private static long ToLong(object? value) => value is null ? 0 : Convert.ToInt64(value, CultureInfo.InvariantCulture);
}
