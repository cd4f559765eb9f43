using Npgsql;
using StemeQL.Core.Lenses;
using StemeQL.Storage.Abstractions;
using StemeQL.Storage.Objects;

namespace StemeQL.Storage.Postgres;

/// <summary>
/// A store in a PostgreSQL database, shared by every process (and machine) that opens it. Each write
/// is one PostgreSQL transaction that takes the store's clock row first (so writes from all processes
/// are serialized, get consecutive LSNs and commit in LSN order), appends to the ledgers and folds
/// the views through Core's <see cref="ViewFold{TValue}"/> before it commits: a committed write is at
/// once visible, views included, to every process. Reads run on pooled connections of one
/// <see cref="NpgsqlDataSource"/>, with Npgsql's automatic statement preparation.
/// </summary>
public sealed partial class PostgresStore : IEpistemeStore
{
    private readonly NpgsqlDataSource _source;
    private readonly IReadOnlyList<ILens> _lenses;
    private readonly string[] _lensNames;
    private readonly Dictionary<string, ViewRead> _viewReads = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lazy<IObjectStore> _objects;
    private readonly TimeProvider _time;
    private readonly bool _readOnly;
    private readonly PgReadConnections _reads;
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<NpgsqlConnection, Dictionary<PgReadShape, NpgsqlCommand>> _commands = new();
    private long _lastSeen;
    private volatile bool _disposed;

    private PostgresStore(NpgsqlDataSource source, string where, IReadOnlyList<ILens> lenses, ObjectStoreSettings objects,
        string objectFolder, TimeProvider time, bool readOnly)
    {
        _source = source;
        Where = where;
        _lenses = lenses;
        _lensNames = [.. lenses.Select(l => l.Name)];
        foreach (var name in _lensNames) _viewReads.TryAdd(name, new ViewRead(name, "reading the " + name + " view"));
        _time = time;
        _readOnly = readOnly;
        _reads = new PgReadConnections(OpenConnection, ReadConnectionsKept(source), time);
        // Made on first use: a store that never holds a large value never builds an S3 client.
        _objects = new Lazy<IObjectStore>(() => ObjectStores.Open(objects, objectFolder));
    }

    /// <summary>
    /// Opens (creating the tables in an empty schema) the store the Npgsql connection string
    /// <paramref name="connectionString"/> names. Most callers want the provider (<c>Storage=postgres</c>),
    /// which shares one instance per connection string.
    /// </summary>
    /// <exception cref="StemeException">The server cannot be reached (ServerUnreachable), refuses the credentials (AuthenticationFailed), the database or the Search Path's schema is missing (DatabaseMissing), or holds a newer schema (SchemaTooNew) or damaged metadata (IntegrityError).</exception>
    public static PostgresStore Open(string connectionString, StoreSettings? settings = null) =>
        Open(connectionString, settings ?? new StoreSettings(connectionString), DefaultLenses, TimeProvider.System);

    /// <summary>The lenses a store materializes unless told otherwise: every Core lens with a fold.</summary>
    internal static IReadOnlyList<ILens> DefaultLenses { get; } =
        [.. LensNames.Available.Values.Where(l => l.Fold is not null).OrderBy(l => l.Name, StringComparer.Ordinal)];

    internal static PostgresStore Open(string connectionString, StoreSettings settings, IReadOnlyList<ILens> lenses, TimeProvider time)
    {
        var connection = PostgresConnectionString.Parse(connectionString);
        var builder = new NpgsqlDataSourceBuilder(connection.ConnectionString);
        // Prepared statements without the caller asking: every statement text here is fixed or built per shape.
        if (builder.ConnectionStringBuilder.MaxAutoPrepare == 0) builder.ConnectionStringBuilder.MaxAutoPrepare = 128;
        // The store sets no session state (its one advisory lock is transaction-scoped), so a pooled
        // connection needs no reset round trip each time a read returns it.
        builder.ConnectionStringBuilder.NoResetOnClose = true;
        // Its statements are keyed lookups whose parameters are arrays: PostgreSQL would otherwise plan
        // each execution anew (about 0.9 ms for the view join) instead of reusing the prepared plan.
        if (builder.ConnectionStringBuilder.Options?.Contains("plan_cache_mode", StringComparison.Ordinal) != true)
            builder.ConnectionStringBuilder.Options = (builder.ConnectionStringBuilder.Options + " -c plan_cache_mode=force_generic_plan").Trim();
        // A read-only store never writes, so a standby of a multi-host Data Source serves it (the primary when no
        // standby is up), unless the Data Source says where to go. Npgsql routes (and refuses the keyword for one host).
        if (settings.ReadOnly && string.IsNullOrEmpty(builder.ConnectionStringBuilder.TargetSessionAttributes)
            && builder.ConnectionStringBuilder.Host?.Contains(',', StringComparison.Ordinal) == true)
            builder.ConnectionStringBuilder.TargetSessionAttributes = "prefer-standby";
        var source = builder.Build();
        var store = new PostgresStore(source, PostgresConnectionString.Describe(connection), lenses, settings.Objects,
            PostgresConnectionString.ObjectFolder(connection), time, settings.ReadOnly);
        try
        {
            store.Initialize(settings.OnSchemaUpgrade);
            return store;
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    /// <summary>The server, port, database and schema, as errors name them (no password).</summary>
    public string Where { get; }

    /// <inheritdoc />
    public IReadOnlyCollection<string> MaterializedLenses => _lensNames;

    /// <inheritdoc />
    public long LastLsn => Math.Max(Volatile.Read(ref _lastSeen), CommittedLsn());

    /// <inheritdoc />
    public long MaterializedLsn => LastLsn;

    /// <inheritdoc />
    public StoreStatus Status
    {
        get
        {
            long last = LastLsn;
            return new StoreStatus(last, last, last, 0, 0, 0, _readOnly, null);
        }
    }

    /// <inheritdoc />
    public IObjectStore Objects => _objects.Value;

    /// <inheritdoc />
    public void WaitForMaterialized(long lsn, CancellationToken cancellation)
    {
        // Views are folded in the write's transaction: a committed LSN is visible. Only another
        // process's write that is not committed yet is waited for.
        while (lsn > Volatile.Read(ref _lastSeen) && lsn > CommittedLsn())
        {
            cancellation.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(5));
            cancellation.ThrowIfCancellationRequested();
        }
    }

    /// <inheritdoc />
    public async Task WaitForMaterializedAsync(long lsn, CancellationToken cancellation)
    {
        while (lsn > Volatile.Read(ref _lastSeen) && lsn > CommittedLsn())
            await Task.Delay(5, cancellation).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _reads.Dispose();
        _source.Dispose();
        if (_objects.IsValueCreated) _objects.Value.Dispose();
    }

    private void Initialize(Action<SchemaUpgrade>? onUpgrade)
    {
        using var connection = OpenConnection("opening the store");
        Run("opening the store", () =>
        {
            PgSchema.EnsureCreated(connection, Where, _readOnly, onUpgrade);
            if (_readOnly) return;
            PgWinnerPartitions.Ensure(connection, _lensNames);
            PgLensMarkers.BuildMissing(connection, _lenses);
        });
        Volatile.Write(ref _lastSeen, CommittedLsn());
    }

    private long CommittedLsn() => Scalar("SELECT last_lsn FROM stemeql_clock WHERE id = 1", "reading the last LSN") is long lsn ? lsn : 0;

    /// <summary>A pooled connection, opened; a failure to connect is ServerUnreachable or AuthenticationFailed.</summary>
    internal NpgsqlConnection OpenConnection(string doing)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        try
        {
            return _source.OpenConnection();
        }
        catch (Exception error) when (PgErrors.IsDatabaseError(error))
        {
            throw PgErrors.Translate(error, doing, Where, connecting: true);
        }
    }

    // Reads keep a connection per thread (PgReadConnections): a few per core, and at most half the pool, so writers always find one.
    /// <summary>How many connections reading threads keep for their next reads (for tests).</summary>
    internal int KeptReadConnections => _reads.Kept;

    private static int ReadConnectionsKept(NpgsqlDataSource source) =>
        Math.Max(1, Math.Min(2 * Environment.ProcessorCount, new NpgsqlConnectionStringBuilder(source.ConnectionString).MaxPoolSize / 2));

    /// <summary>Runs <paramref name="action"/>, translating database errors.</summary>
    private void Run(string doing, Action action)
    {
        try
        {
            action();
        }
        catch (Exception error) when (PgErrors.IsDatabaseError(error))
        {
            throw PgErrors.Translate(error, doing, Where, connecting: false);
        }
    }

    private T Run<T>(string doing, Func<T> action)
    {
        try
        {
            return action();
        }
        catch (Exception error) when (PgErrors.IsDatabaseError(error))
        {
            throw PgErrors.Translate(error, doing, Where, connecting: false);
        }
    }

    private object? Scalar(string sql, string doing, params ReadOnlySpan<(NpgsqlTypes.NpgsqlDbType, object?)> parameters)
    {
        var values = parameters.ToArray();
        var (connection, result) = _reads.Start(doing, connection => Run(doing, () =>
        {
            using var command = PgCommands.Create(connection, null, sql, values);
            return command.ExecuteScalar() is { } value and not DBNull ? value : null;
        }));
        _reads.Return(connection);
        return result;
    }
}
