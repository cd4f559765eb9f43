using System.Globalization;
using Microsoft.Data.Sqlite;
using StemeQL.Core.Lenses;
using StemeQL.Core.Model;
using StemeQL.Storage.Abstractions;
using StemeQL.Storage.Objects;

namespace StemeQL.Storage.Embedded;

/// <summary>
/// The embedded storage tier of a data folder: writes go to an append-only journal first
/// (<c>folder/journal</c>, group commit, durable before they are acknowledged) and a background
/// ingestor applies them to one SQLite database in WAL mode (<c>folder/store.db</c>) holding the
/// ledgers of assertions and votes and the incrementally maintained views of the <c>consensus</c> and
/// <c>recency</c> lenses.
/// Writes go through one connection under a lock; each read streams from its own pooled connection,
/// so reads never wait for writes. Connections share an instance through <see cref="StoreRegistry"/>.
/// </summary>
public sealed partial class EmbeddedStore : IEpistemeStore
{
    /// <summary>The database file's name inside the data folder.</summary>
    public const string DatabaseFileName = "store.db";

    private readonly string _databasePath;
    private readonly string _readerConnectionString;
    private readonly WritePath? _writePath;
    private readonly ReaderPool _readers;
    private volatile bool _disposed;

    private readonly Lazy<IObjectStore> _objects;

    private IReadOnlyCollection<string> _lenses;

    private EmbeddedStore(string folder, WritePath? writePath, ObjectStoreSettings objects, IReadOnlyCollection<string> lenses)
    {
        _lenses = lenses;
        Folder = folder;
        ObjectSettings = objects;
        // Made on first use: a store that never holds a large value never builds an S3 client.
        _objects = new Lazy<IObjectStore>(() => ObjectStores.Open(objects, folder));
        _databasePath = Path.Combine(folder, DatabaseFileName);
        _readerConnectionString = SqliteRuntime.ReaderConnectionString(_databasePath);
        _writePath = writePath;
        _readers = new ReaderPool(_readerConnectionString);
    }

    /// <summary>
    /// Opens (creating when missing) the store in <paramref name="folder"/>. Most callers want
    /// <see cref="StoreRegistry.Acquire"/>, which shares one instance per folder; a folder can be open
    /// for writing in one instance at a time (a second gets <see cref="StemeErrorCode.DatabaseLocked"/>).
    /// </summary>
    /// <param name="folder">The data folder; created on first open.</param>
    /// <param name="timeProvider">The clock that stamps <c>asserted_at</c> / <c>voted_at</c>; the system clock by default.</param>
    /// <exception cref="StemeException">The folder is in use (DatabaseLocked), on a read-only file system (ReadOnlyFileSystem), not writable by this user (PermissionDenied), on a full disk (DiskFull), or cannot be read or holds a newer schema (StorageFailure).</exception>
    public static EmbeddedStore Open(string folder, TimeProvider? timeProvider = null) =>
        Open(folder, EmbeddedStoreOptions.Default with { Time = timeProvider ?? TimeProvider.System });

    /// <summary>
    /// Opens a store that only reads: no folder lock, no journal and no background work, so it can
    /// sit beside another process that writes the folder. It sees what that process has ingested.
    /// </summary>
    /// <exception cref="StemeException">There is no database in the folder (StorageFailure).</exception>
    public static EmbeddedStore OpenReadOnly(string folder) => Open(folder, EmbeddedStoreOptions.Default with { ReadOnly = true });

    /// <summary>
    /// Opens (creating when missing) the store in <paramref name="folder"/>; if its journal is damaged,
    /// salvages it: keeps every valid frame, rewrites the journal (the damaged one is kept beside it as
    /// <c>journal.damaged-…</c>) and reports the LSNs lost in <see cref="StoreStatus.Recovered"/>. New writes
    /// get LSNs above everything that was ever durable.
    /// </summary>
    /// <exception cref="StemeException">As <see cref="Open(string, TimeProvider?)"/>.</exception>
    public static EmbeddedStore OpenSalvaging(string folder) =>
        Open(folder, EmbeddedStoreOptions.Default with { Recovery = Journal.RecoveryMode.Salvage });

    internal static EmbeddedStore Open(string folder, EmbeddedStoreOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        string databasePath = Path.Combine(full, DatabaseFileName);
        if (options.ReadOnly) return OpenForReading(full, databasePath, options.Objects);
        try
        {
            Directory.CreateDirectory(full);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw StorageErrors.CauseOf(error) is { } cause
                ? StorageErrors.For(cause, full, "creating the data folder", error)
                : new StemeException(StemeErrorCode.StorageFailure,
                    $"The data folder '{full}' cannot be created: check the path and this process's permissions. ({error.Message})", error);
        }
        var folderLock = FolderLock.Acquire(full);
        SqliteConnection? writer = null;
        try
        {
            writer = SqliteRuntime.Open(SqliteRuntime.WriterConnectionString(databasePath));
            SqliteRuntime.Execute(writer, "PRAGMA journal_mode = WAL");
            // The journal makes writes durable before SQLite sees them, and replay after a crash is
            // exact, so SQLite need not fsync its own commits; before a journal segment is deleted,
            // one commit with synchronous = FULL makes the store's copy durable (SegmentRelease).
            SqliteRuntime.Execute(writer, "PRAGMA synchronous = NORMAL");
            // The ingestor's index lookups stay in memory with a 64 MiB page cache (the default is 2 MiB).
            SqliteRuntime.Execute(writer, "PRAGMA cache_size = -65536");
            Schema.EnsureCreated(writer, databasePath, options.OnSchemaUpgrade);
            var writePath = WritePath.Open(full, options, folderLock, writer, SqliteRuntime.ReaderConnectionString(databasePath));
            return new EmbeddedStore(full, writePath, options.Objects, [.. options.Lenses.Select(l => l.Name)]);
        }
        catch (SqliteException error)
        {
            writer?.Dispose();
            folderLock.Dispose();
            throw SqliteRuntime.Translate(error, databasePath, "opening the store", writing: true);
        }
        catch
        {
            writer?.Dispose();
            folderLock.Dispose();
            throw;
        }
    }

    private static EmbeddedStore OpenForReading(string folder, string databasePath, ObjectStoreSettings objects)
    {
        if (!File.Exists(databasePath))
        {
            throw new StemeException(StemeErrorCode.StorageFailure,
                $"There is no StemeQL database in '{folder}' to open read-only: check the path, or open it once for writing to create it.");
        }
        SqliteRuntime.EnsureInitialised();
        var store = new EmbeddedStore(folder, writePath: null, objects, []);
        try
        {
            // Fail at open, not at the first query, when the file is not a readable store (or not this version).
            long version = store.ReadFixed("PRAGMA user_version", null, null, "opening the store") is long v ? v : 0;
            if (version != 0) Schema.CheckReadable(version, databasePath, () => store.ReadFixed(Schema.RequiredReleaseSql, null, null, "opening the store") as string);
            store.ReadFixed("SELECT 1 FROM mv_set LIMIT 1", null, null, "opening the store");
            // The lenses a writer materialized (a read-only store cannot build others).
            store._lenses = store.MarkedLenses();
            return store;
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    /// <summary>The data folder (full path).</summary>
    public string Folder { get; }

    /// <summary>Where this store keeps large values (fixed by the connection that opened it).</summary>
    public ObjectStoreSettings ObjectSettings { get; }

    /// <inheritdoc />
    public IObjectStore Objects => _objects.Value;

    /// <summary>True when this instance only reads.</summary>
    public bool IsReadOnly => _writePath is null;

    /// <summary>The newest LSN the store fsynced itself before releasing journal segments up to it; 0 for a read-only store.</summary>
    internal long DurableInStoreLsn => _writePath?.DurableInStore ?? 0;

    /// <summary>The write path's filter of stored assertion hashes (null and done when read-only), for tests.</summary>
    internal (HashFilter? Ready, Task Scan) HashFilter => _writePath?.HashFilter ?? (null, Task.CompletedTask);

    /// <inheritdoc />
    public IReadOnlyCollection<string> MaterializedLenses => _lenses;

    /// <inheritdoc />
    public long LastLsn => _writePath?.LastLsn ?? Status.DurableLsn;

    /// <inheritdoc />
    public long MaterializedLsn => _writePath?.MaterializedLsn ?? ReadMeta(WatermarkTable.MaterializedKey);

    /// <summary>True once this store has stopped accepting writes after a journal or ingest failure (cheaper than <see cref="Status"/>).</summary>
    internal bool HasFailed => _writePath?.HasFailed ?? false;

    /// <inheritdoc />
    public StoreStatus Status
    {
        get
        {
            ThrowIfDisposed();
            if (_writePath is not null) return _writePath.Status;
            long ingested = ReadMeta(WatermarkTable.IngestedKey), materialized = ReadMeta(WatermarkTable.MaterializedKey);
            return new StoreStatus(ingested, ingested, materialized, 0, 0, 0, ReadOnly: true, Failure: null);
        }
    }

    /// <inheritdoc />
    public void WaitForMaterialized(long lsn, CancellationToken cancellation)
    {
        ThrowIfDisposed();
        if (_writePath is not null) _writePath.WaitForMaterialized(lsn, cancellation);
        else WaitForWriterProcess(lsn, cancellation);
    }

    /// <inheritdoc />
    public Task WaitForMaterializedAsync(long lsn, CancellationToken cancellation)
    {
        ThrowIfDisposed();
        return _writePath is not null
            ? _writePath.WaitForMaterializedAsync(lsn, cancellation)
            : WaitForWriterProcessAsync(lsn, cancellation);
    }

    /// <summary>Tests only: the views stop advancing until the returned hold is disposed (writes are still acknowledged).</summary>
    internal IDisposable HoldMaterialization() =>
        _writePath?.HoldIngestion() ?? throw new InvalidOperationException("A read-only store has no ingestor to hold.");

    /// <summary>Tests only: how many chunks (an ingest and a materialize transaction each) the ingestor thread has applied.</summary>
    internal long IngestorChunks => _writePath?.IngestorChunks ?? 0;

    /// <summary>Tests only: how many operations the ingestor's decoder has decoded ahead of it.</summary>
    internal long DecodedAheadOps => _writePath?.DecodedAheadOps ?? 0;

    // A read-only instance has no write path to signal it: another process writes the folder and
    // records its materialized watermark in the database, so poll that. Only an explicit wait for a
    // token gets here (a read-only connection never writes, so read-your-writes never waits).
    private void WaitForWriterProcess(long lsn, CancellationToken cancellation)
    {
        while (ReadMeta(WatermarkTable.MaterializedKey) < lsn)
        {
            cancellation.ThrowIfCancellationRequested();
            Thread.Sleep(WriterPollMilliseconds);
        }
    }

    private async Task WaitForWriterProcessAsync(long lsn, CancellationToken cancellation)
    {
        while (ReadMeta(WatermarkTable.MaterializedKey) < lsn) await Task.Delay(WriterPollMilliseconds, cancellation).ConfigureAwait(false);
    }

    private const int WriterPollMilliseconds = 20;

    /// <summary>Flushes the journal, applies everything durable, stops the workers and releases the folder.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        StopStatistics();
        _writePath?.Dispose();
        _readers.Dispose();
        if (_objects.IsValueCreated) _objects.Value.Dispose();
        // Idle pooled readers close now (busy ones when they finish), so SQLite can checkpoint the WAL.
        using (var reader = new SqliteConnection(_readerConnectionString)) SqliteConnection.ClearPool(reader);
        if (_writePath is not null) RemoveWalFiles();
    }

    // The writer closed before the pooled readers did, so SQLite kept store.db-wal and -shm. With every
    // reader gone, one more writable connection leaves just store.db, as storage.md says.
    private void RemoveWalFiles()
    {
        try
        {
            // A second at most, not the lock timeout of 30 s (SQLite's busy handler, and Microsoft.Data.Sqlite's
            // retries up to the command timeout): a read-only store of this process or another that has the file
            // open keeps it in use as long as it stays open, and this runs under the registry's process-wide lock.
            using var last = SqliteRuntime.Open(new SqliteConnectionStringBuilder(SqliteRuntime.WriterConnectionString(_databasePath)) { DefaultTimeout = 1 }.ToString());
            SqliteRuntime.Execute(last, "PRAGMA busy_timeout = 100");
            // Leaving WAL mode checkpoints and deletes both files. It also lets a read-only open on
            // read-only media work (a WAL database needs its -shm file there); the next writable open
            // turns WAL on again.
            SqliteRuntime.Execute(last, "PRAGMA journal_mode = DELETE");
        }
        catch (SqliteException)
        {
            // Another process opened the folder in the meantime, or a busy reader is still finishing:
            // the files stay, which is harmless (SQLite replays the WAL on the next open).
        }
    }

    private long ReadMeta(string key) =>
        ReadFixed("SELECT value FROM meta WHERE key = $key", "$key", key, "reading the watermarks") is string text
            ? long.Parse(text, CultureInfo.InvariantCulture) : 0;

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    // Every read runs on a pooled read-only connection.
    private StemeException Translate(SqliteException error, string doing) => SqliteRuntime.Translate(error, _databasePath, doing, writing: false);
}
