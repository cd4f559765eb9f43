using StemeQL.Storage.Abstractions;
using StemeQL.Storage.Journal;
using StemeQL.Storage.Objects;

namespace StemeQL.Storage.Embedded;

/// <summary>
/// The process-wide table of open stores. Every connection that opens the same data folder (compared
/// by full path) shares one <see cref="EmbeddedStore"/>, counted by leases; the last lease released
/// closes it. <c>:memory:</c> gives each caller a private store in a fresh temporary folder that is
/// deleted when its lease is released.
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
    /// <exception cref="StemeException">The data source is empty (InvalidConnectionString), or the store cannot be opened (see <see cref="EmbeddedStore.Open(string, TimeProvider?)"/>).</exception>
    /// <param name="objects">Where large values go; fixed by the call that opens the store, and a later call naming another place fails (InvalidConnectionString).</param>
    public static StoreLease Acquire(string dataSource, bool readOnly = false, bool salvageJournal = false, ObjectStoreSettings? objects = null)
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
            if (!Stores.TryGetValue(key, out var entry))
            {
                entry = new Entry(EmbeddedStore.Open(folder, EmbeddedStoreOptions.Default with
                {
                    ReadOnly = readOnly,
                    Recovery = salvageJournal ? RecoveryMode.Salvage : RecoveryMode.Normal,
                    Objects = objects,
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
            return new StoreLease(entry.Store, folder, () => Release(key, entry));
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

    private static void Release(string folder, Entry entry)
    {
        // The store is closed under the gate: a concurrent Acquire of the same folder waits until the
        // folder lock is free instead of failing with DatabaseLocked.
        lock (Gate)
        {
            if (--entry.Leases > 0) return;
            Stores.Remove(folder);
            entry.Store.Dispose();
        }
    }

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
        public EmbeddedStore Store { get; } = store;

        public int Leases { get; set; }
    }
}
