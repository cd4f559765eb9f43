using StemeQL.Storage.Abstractions;
using StemeQL.Storage.Journal;
using StemeQL.Storage.Objects;

namespace StemeQL.Storage.Embedded;

/// <summary>
/// The process-wide table of open stores. Every connection that opens the same data folder (compared
/// by full path) shares one <see cref="EmbeddedStore"/>, counted by leases. When the last lease is
/// released the store stays open (warm, still holding the folder's lock) for that lease's idle
/// timeout, so the next open costs nothing, as a connection pool keeps connections; then it closes.
/// A zero timeout closes it at once. Idle stores are closed when the process exits, and by
/// <see cref="CloseIdleStores"/>. <c>:memory:</c> gives each caller a private store in a fresh
/// temporary folder that is deleted when its lease is released.
/// </summary>
public static class StoreRegistry
{
    /// <summary>The data source of a private, throw-away store.</summary>
    public const string InMemory = ":memory:";

    private static readonly Lock Gate = new();

    // Paths are case-insensitive on Windows and (by default) macOS.
    private static readonly Dictionary<string, Entry> Stores = new(
        OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);

    /// <summary>
    /// Opens <paramref name="dataSource"/> (a data folder, created when missing, or <c>:memory:</c>) or
    /// joins the instance already open for it. Dispose the lease when done.
    /// </summary>
    /// <param name="dataSource">A data folder or <c>:memory:</c>.</param>
    /// <param name="readOnly">Open without writing (no folder lock, so another process may write the folder); shared separately from writable instances.</param>
    /// <param name="salvageJournal">When this call opens the store and its journal is damaged, salvage it (keep every valid frame, report the LSNs lost in <c>stemeql_status.recovered</c>) instead of failing with JournalDamaged.</param>
    /// <param name="idleTimeout">How long the store stays open after this lease, if it is the last, is released (zero: close at once).</param>
    /// <exception cref="StemeException">The data source is empty (InvalidConnectionString), or the store cannot be opened (see <see cref="EmbeddedStore.Open(string, TimeProvider?)"/>).</exception>
    /// <param name="onSchemaUpgrade">Told before and after this call's open upgrades the store's schema (only the call that opens the store runs one).</param>
    /// <param name="objects">Where large values go; fixed by the call that opens the store, and a later call naming another place fails (InvalidConnectionString).</param>
    public static StoreLease Acquire(string dataSource, bool readOnly = false, bool salvageJournal = false, ObjectStoreSettings? objects = null,
        TimeSpan idleTimeout = default, Action<SchemaUpgrade>? onSchemaUpgrade = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        string trimmed = dataSource.Trim();
        if (trimmed.Length == 0)
        {
            throw new StemeException(StemeErrorCode.InvalidConnectionString,
                "The Data Source is empty: set it to a data folder (e.g. Data Source=./data) or to :memory: for a throw-away store.");
        }
        objects ??= ObjectStoreSettings.Default;
        if (trimmed == InMemory) return AcquirePrivate(objects);

        string folder = Normalize(trimmed);
        string key = readOnly ? folder + ReadOnlySuffix : folder;
        lock (Gate)
        {
            if (Stores.TryGetValue(key, out var entry) && entry is { Leases: 0, Store.HasFailed: true })
            {
                Close(key, entry);   // it stopped while kept warm: open afresh, so recovery replays what it acknowledged
                entry = null;
            }
            if (entry is null)
            {
                entry = new Entry(EmbeddedStore.Open(folder, EmbeddedStoreOptions.Default with
                {
                    ReadOnly = readOnly,
                    Recovery = salvageJournal ? RecoveryMode.Salvage : RecoveryMode.Normal,
                    Objects = objects,
                    OnSchemaUpgrade = onSchemaUpgrade,
                }));
                Stores.Add(key, entry);
            }
            else if (!ObjectStores.SamePlace(entry.Store.ObjectSettings, objects))
            {
                throw new StemeException(StemeErrorCode.InvalidConnectionString,
                    $"The data folder '{folder}' is already open in this process with its large objects in {Describe(entry.Store.ObjectSettings)}, " +
                    $"but this connection names {Describe(objects)}: give every connection to a folder the same Object Bucket, Object Prefix and Object Service URL.");
            }
            entry.Leases++;
            entry.StopIdleTimer();
            return new StoreLease(entry.Store, folder, () => Release(key, entry, idleTimeout));
        }
    }

    /// <summary>How many leases are held on the store of <paramref name="dataSource"/> (0 when it is not open).</summary>
    public static int LeaseCount(string dataSource)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        lock (Gate) return Stores.TryGetValue(Normalize(dataSource.Trim()), out var entry) ? entry.Leases : 0;
    }

    // Read-only instances are keyed apart from the writable one of the same folder; NUL cannot occur in a path.
    private const string ReadOnlySuffix = "\0read-only";

    private static string Normalize(string folder) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));

    private static string Describe(ObjectStoreSettings settings) =>
        settings.Bucket is null ? "the data folder" : $"s3://{settings.Bucket}/{settings.Prefix} at {settings.ServiceUrl ?? "AWS"}";

    private static StoreLease AcquirePrivate(ObjectStoreSettings objects)
    {
        string folder = Path.Combine(Path.GetTempPath(), "stemeql-mem-" + Guid.NewGuid().ToString("N"));
        EmbeddedStore store;
        try
        {
            store = EmbeddedStore.Open(folder, EmbeddedStoreOptions.Default with { Objects = objects });
        }
        catch
        {
            DeleteQuietly(folder);
            throw;
        }
        return new StoreLease(store, InMemory, () =>
        {
            store.Dispose();
            DeleteQuietly(folder);
        });
    }

    /// <summary>Closes every store that no lease holds (kept warm by an idle timeout) now; returns how many.</summary>
    public static int CloseIdleStores()
    {
        lock (Gate)
        {
            var idle = Stores.Where(s => s.Value.Leases == 0).ToList();
            foreach (var (key, entry) in idle) Close(key, entry);
            return idle.Count;
        }
    }

    private static void Release(string key, Entry entry, TimeSpan idleTimeout)
    {
        // The store is closed under the gate: a concurrent Acquire of the same folder waits until the
        // folder lock is free instead of failing with DatabaseLocked.
        lock (Gate)
        {
            if (--entry.Leases > 0) return;
            if (idleTimeout > TimeSpan.Zero && !_exiting)
            {
                if (!key.EndsWith(ReadOnlySuffix, StringComparison.Ordinal)) CatchUp(entry.Store);
                // A store that stopped (a full disk, say) is not kept warm: closing every connection and
                // opening again must give a fresh store that recovers and takes writes, as the docs promise.
                if (!entry.Store.HasFailed)
                {
                    entry.StartIdleTimer(idleTimeout, () => CloseIfIdle(key, entry));
                    return;
                }
            }
            Close(key, entry);
        }
    }

    // Closing a store applied every write before it returned, so a connection opened afterwards read
    // them all at any consistency. A store kept warm keeps that promise by letting its views catch up
    // with every durable write first (bounded: a stuck materializer reports itself in stemeql_status).
    private static void CatchUp(EmbeddedStore store)
    {
        try
        {
            using var patience = new CancellationTokenSource(CatchUpPatience);
            store.WaitForMaterialized(store.LastLsn, patience.Token);
        }
        catch (Exception error) when (error is OperationCanceledException or StemeException or ObjectDisposedException)
        {
            // The store stays warm anyway; reads wait as their consistency level says.
        }
    }

    private static readonly TimeSpan CatchUpPatience = TimeSpan.FromSeconds(30);

    private static void CloseIfIdle(string key, Entry entry)
    {
        lock (Gate)
        {
            if (entry.Leases == 0 && Stores.TryGetValue(key, out var current) && current == entry) Close(key, entry);
        }
    }

    private static void Close(string key, Entry entry)
    {
        entry.StopIdleTimer();
        Stores.Remove(key);
        try
        {
            entry.Store.Dispose();
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            // Closing a store nobody uses runs on a timer thread or at exit, where an exception would end
            // the process; the journal already holds every acknowledged write, so reopening recovers.
        }
    }

    private static bool _exiting;

    // A warm store holds the folder lock and the journal open: close it cleanly when the process ends.
    static StoreRegistry() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        lock (Gate) _exiting = true;
        CloseIdleStores();
    };

    private static void DeleteQuietly(string folder)
    {
        try
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // A file still open elsewhere keeps the folder; it is only a temporary folder.
        }
    }

    private sealed class Entry(EmbeddedStore store)
    {
        private Timer? _idle;

        public EmbeddedStore Store { get; } = store;

        public int Leases { get; set; }

        public void StartIdleTimer(TimeSpan timeout, Action close) =>
            _idle = new Timer(_ => close(), null, timeout, Timeout.InfiniteTimeSpan);

        public void StopIdleTimer()
        {
            _idle?.Dispose();
            _idle = null;
        }
    }
}
