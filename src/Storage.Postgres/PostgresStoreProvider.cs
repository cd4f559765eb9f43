using StemeQL.Storage.Abstractions;

namespace StemeQL.Storage.Postgres;

/// <summary>
/// The <c>postgres</c> provider: <c>Storage=postgres;Data Source='Host=...;Database=...;Username=...;Password=...'</c>.
/// The data source is an Npgsql connection string; one <see cref="PostgresStore"/> (one connection pool)
/// is shared by every StemeQL connection of the process that names the same one, and closed when the
/// last lease is released and its idle timeout has passed.
/// </summary>
public sealed class PostgresStoreProvider : IStoreProvider
{
    /// <summary>The name the <c>Storage</c> keyword gives it.</summary>
    public const string ProviderName = "postgres";

    /// <summary>The one instance.</summary>
    public static readonly PostgresStoreProvider Instance = new();

    private readonly Lock _gate = new();
    private readonly Dictionary<(string, bool), Shared> _open = [];

    private PostgresStoreProvider() { }

    /// <inheritdoc />
    public string Name => ProviderName;

    /// <inheritdoc />
    public IStoreLease Acquire(StoreSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var parsed = PostgresConnectionString.Parse(settings.DataSource);
        var key = (parsed.ConnectionString, settings.ReadOnly);
        lock (_gate)
        {
            if (!_open.TryGetValue(key, out var shared))
            {
                var store = PostgresStore.Open(parsed.ConnectionString, settings, PostgresStore.DefaultLenses, TimeProvider.System);
                _open[key] = shared = new Shared(store);
            }
            shared.Leases++;
            shared.Generation++;
            return new PostgresLease(shared.Store, () => Release(key, shared, settings.IdleTimeout));
        }
    }

    /// <inheritdoc />
    /// <remarks>The server, port, database and schema; never the password (nor anything of a string that does not parse).</remarks>
    public string Describe(string dataSource)
    {
        try
        {
            return PostgresConnectionString.Describe(PostgresConnectionString.Parse(dataSource));
        }
        catch (StemeException)
        {
            return "PostgreSQL (a Data Source that is not a valid Npgsql connection string)";
        }
    }

    /// <inheritdoc />
    public void CloseIdle()
    {
        List<Shared> idle;
        lock (_gate)
        {
            idle = [.. _open.Where(e => e.Value.Leases == 0).Select(e => e.Value)];
            foreach (var key in _open.Where(e => e.Value.Leases == 0).Select(e => e.Key).ToList()) _open.Remove(key);
        }
        foreach (var shared in idle) shared.Store.Dispose();
    }

    // The idle timeout of the lease released last applies, as for the embedded store.
    private void Release((string, bool) key, Shared shared, TimeSpan idleTimeout)
    {
        long generation;
        lock (_gate)
        {
            if (--shared.Leases > 0) return;
            if (idleTimeout <= TimeSpan.Zero)
            {
                _open.Remove(key);
                shared.Store.Dispose();
                return;
            }
            generation = shared.Generation;
        }
        // Kept open a while: connections that open and close in a loop reuse the pool and the checked schema.
        _ = Task.Delay(idleTimeout).ContinueWith(_ =>
        {
            lock (_gate)
            {
                // Another lease since, or this store was closed (CloseIdle) and maybe replaced: leave it.
                if (shared.Leases > 0 || shared.Generation != generation
                    || !_open.TryGetValue(key, out var current) || !ReferenceEquals(current, shared)) return;
                _open.Remove(key);
            }
            shared.Store.Dispose();
        }, TaskScheduler.Default);
    }

    private sealed class Shared(PostgresStore store)
    {
        public PostgresStore Store { get; } = store;
        public int Leases { get; set; }
        public long Generation { get; set; }
    }
}
