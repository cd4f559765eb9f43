using Microsoft.Extensions.Logging;
using StemeQL.Storage.Abstractions;

namespace StemeQL.Internal;

/// <summary>
/// The stores this process's connections have open, counted by connection: what the lag gauges read,
/// and where the store events (opened, recovered, fail-stop, closed) are logged once per store.
/// </summary>
internal static class OpenStores
{
    private static readonly Lock Gate = new();
    private static readonly Dictionary<IEpistemeStore, Entry> Stores = new(ReferenceEqualityComparer.Instance);

    /// <summary>Counts a connection on <paramref name="store"/>; the first one logs the store's opening and any journal repair.</summary>
    public static void Opened(IEpistemeStore store, string dataSource, string database, bool salvage, ILogger logger)
    {
        bool first;
        lock (Gate)
        {
            first = !Stores.TryGetValue(store, out var entry);
            if (first) Stores.Add(store, entry = new Entry(dataSource, database));
            entry!.Connections++;
        }
        if (first)
        {
            var status = store.Status;
            StemeLog.StoreOpened(logger, dataSource, status.DurableLsn, status.MaterializedLsn);
            if (status.Recovered is { } recovered)
            {
                // Only a salvage rewrites the journal; a torn tail is cut in place.
                if (salvage && recovered.Contains("rewritten", StringComparison.Ordinal)) StemeLog.JournalSalvaged(logger, dataSource, recovered);
                else StemeLog.JournalRecovered(logger, dataSource, recovered);
            }
        }
        CheckFailure(store, logger);
    }

    /// <summary>Uncounts a connection; the last one logs the store's closing. Call before the session is disposed.</summary>
    public static void Closed(IEpistemeStore store, ILogger logger)
    {
        string? closed = null;
        lock (Gate)
        {
            if (!Stores.TryGetValue(store, out var entry)) return;
            if (--entry.Connections == 0)
            {
                Stores.Remove(store);
                closed = entry.DataSource;
            }
        }
        if (closed is not null) StemeLog.StoreClosed(logger, closed);
    }

    /// <summary>Logs the store's fail-stop, once per store, if it has stopped accepting writes.</summary>
    public static void CheckFailure(IEpistemeStore store, ILogger logger)
    {
        if (!logger.IsEnabled(LogLevel.Critical)) return;
        string? failure = store.Status.Failure, dataSource;
        if (failure is null) return;
        lock (Gate)
        {
            if (!Stores.TryGetValue(store, out var entry) || entry.FailureLogged) return;
            entry.FailureLogged = true;
            dataSource = entry.DataSource;
        }
        StemeLog.StoreFailStopped(logger, dataSource, failure);
    }

    /// <summary>
    /// Each open store's database name (<c>db.namespace</c>) and status, read under the lock. A store
    /// closed by a path that did not count it out is skipped: a metrics callback must never throw.
    /// </summary>
    public static List<(string Database, StoreStatus Status)> Statuses()
    {
        var statuses = new List<(string, StoreStatus)>();
        lock (Gate)
        {
            foreach (var (store, entry) in Stores)
            {
                if (StatusOf(store) is { } status) statuses.Add((entry.Database, status));
            }
        }
        return statuses;
    }

    private static StoreStatus? StatusOf(IEpistemeStore store)
    {
        try
        {
            return store.Status;
        }
        catch (ObjectDisposedException)
        {
            return null;
        }
    }

    private sealed class Entry(string dataSource, string database)
    {
        public string DataSource { get; } = dataSource;
        public string Database { get; } = database;
        public int Connections { get; set; }
        public bool FailureLogged { get; set; }
    }
}
