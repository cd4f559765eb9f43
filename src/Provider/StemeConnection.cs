using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StemeQL.Internal;
using StemeQL.Internal.Schema;
using StemeQL.Planner.Execution;
using StemeQL.Storage;
using StemeQL.Storage.Embedded;

namespace StemeQL;

/// <summary>
/// A connection to an Episteme database: a data folder (created on first open) or <c>:memory:</c>.
/// Any number of connections in one process may open the same folder, each with its own agent.
/// Like every ADO.NET connection, an instance is not thread-safe.
/// </summary>
public sealed class StemeConnection : DbConnection
{
    private string _connectionString = "";
    private StemeConnectionStringBuilder _settings = new();
    // Worked out once per connection string (null until asked): telemetry tags every statement with it.
    private string? _database;
    private ConnectionState _state = ConnectionState.Closed;
    private bool _disposed;

    /// <summary>A closed connection with no connection string.</summary>
    public StemeConnection() { }

    /// <summary>A closed connection configured by <paramref name="connectionString"/>.</summary>
    public StemeConnection(string? connectionString) => ConnectionString = connectionString;

    /// <inheritdoc />
    [AllowNull]
    public override string ConnectionString
    {
        get => _connectionString;
        set
        {
            if (_state != ConnectionState.Closed)
                throw new InvalidOperationException("The connection string cannot change while the connection is open: close it first.");
            _settings = new StemeConnectionStringBuilder(value);
            _database = null;
            _connectionString = value ?? "";
            _lastWriteLsn = 0; // a token names a write in one data source only
        }
    }

    /// <summary>The agent this connection writes as.</summary>
    public string Agent => _settings.Agent;

    /// <summary>The logger factory of this connection (set by a data source); null logs through <see cref="StemeLoggingConfiguration"/>.</summary>
    internal ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>False when the data source that made this connection turned telemetry off (<see cref="StemeDataSourceBuilder.EnableTelemetry"/>).</summary>
    internal bool TelemetryAllowed { get; set; } = true;

    /// <summary>True when this connection records spans and metrics: allowed by its data source and the process; set when it opens.</summary>
    internal bool TelemetryEnabled { get; private set; }

    /// <summary>Where command events (slow query, command failed) are logged; set when the connection opens.</summary>
    internal ILogger CommandLogger { get; private set; } = NullLogger.Instance;

    /// <summary>Where connection and store events are logged; set when the connection opens.</summary>
    internal ILogger ConnectionLogger { get; private set; } = NullLogger.Instance;

    /// <summary>Milliseconds after which a command is logged as slow; 0: never.</summary>
    internal int SlowQueryThreshold => _settings.SlowQueryThreshold;

    /// <summary>How fresh this connection's reads are.</summary>
    public StemeConsistency Consistency => _settings.Consistency;

    /// <summary>
    /// The LSN of the newest write made through this connection: a visibility token. Give it to another
    /// connection (<see cref="StemeCommand.MinimumLsn"/> or <see cref="WaitForLsn(long, TimeSpan?)"/>) and
    /// its reads see that write. 0 before the first write; kept across Close and Open on the same data
    /// folder, so read-your-writes holds across them.
    /// </summary>
    public long LastWriteLsn => _session?.LastWriteLsn ?? _lastWriteLsn;

    /// <summary>
    /// Blocks until the materialized views include <paramref name="lsn"/> (a <see cref="LastWriteLsn"/>
    /// from any connection to the same data source), so this connection's next reads see that write
    /// whatever its <see cref="Consistency"/>. Returns at once when they already do, or when
    /// <paramref name="lsn"/> is 0 or less.
    /// </summary>
    /// <param name="lsn">The visibility token.</param>
    /// <param name="timeout">How long to wait; <see cref="DefaultCommandTimeout"/> when null; <see cref="Timeout.InfiniteTimeSpan"/> or zero for no limit.</param>
    /// <exception cref="StemeException">The wait timed out (Timeout: the message says how far behind the views are), the LSN is beyond the newest write of the data source (InvalidParameterValue), or the store failed (StorageFailure).</exception>
    public void WaitForLsn(long lsn, TimeSpan? timeout = null)
    {
        var session = OpenSession("WaitForLsn");
        var limit = WaitLimit(timeout);
        // Caught up: no timer, no registration.
        if (session.HasMaterialized(lsn)) return;
        using var timer = limit > TimeSpan.Zero ? new CancellationTokenSource(limit) : null;
        try
        {
            session.WaitForLsn(lsn, timer?.Token ?? CancellationToken.None);
        }
        catch (OperationCanceledException cancelled) when (timer is { IsCancellationRequested: true })
        {
            throw WaitTimedOut(cancelled, limit);
        }
    }

    /// <summary>
    /// Like <see cref="WaitForLsn(long, TimeSpan?)"/>, without holding a thread while it waits; the
    /// returned task is already complete when the views include <paramref name="lsn"/>.
    /// </summary>
    /// <param name="lsn">The visibility token.</param>
    /// <param name="timeout">How long to wait; <see cref="DefaultCommandTimeout"/> when null; <see cref="Timeout.InfiniteTimeSpan"/> or zero for no limit.</param>
    /// <param name="cancellationToken">Cancels the wait (an <see cref="OperationCanceledException"/>, not a timeout).</param>
    public async Task WaitForLsnAsync(long lsn, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var session = OpenSession("WaitForLsnAsync");
        var limit = WaitLimit(timeout);
        cancellationToken.ThrowIfCancellationRequested();
        if (session.HasMaterialized(lsn)) return;
        using var timer = limit > TimeSpan.Zero ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken) : null;
        timer?.CancelAfter(limit);
        try
        {
            await session.WaitForLsnAsync(lsn, timer?.Token ?? cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException cancelled) when (timer is { IsCancellationRequested: true } && !cancellationToken.IsCancellationRequested)
        {
            throw WaitTimedOut(cancelled, limit);
        }
    }

    private TimeSpan WaitLimit(TimeSpan? timeout) => timeout switch
    {
        null => TimeSpan.FromSeconds(DefaultCommandTimeout),
        { } t when t == Timeout.InfiniteTimeSpan => TimeSpan.Zero,
        { } t when t < TimeSpan.Zero => throw new ArgumentOutOfRangeException(nameof(timeout), t, "The timeout cannot be negative: use Timeout.InfiniteTimeSpan to wait without limit."),
        { } t => t,
    };

    private static StemeException WaitTimedOut(OperationCanceledException cancelled, TimeSpan limit)
    {
        string what = string.Create(CultureInfo.InvariantCulture, $"WaitForLsn did not finish within its timeout of {limit.TotalSeconds:0.###} s");
        string message = cancelled is VisibilityWaitCanceledException wait
            ? wait.TimeoutMessage(what, "pass a longer timeout (Timeout.InfiniteTimeSpan waits forever)", suggestWaitForLsn: false)
            : what + ": pass a longer timeout.";
        return new StemeException(StemeErrorCode.Timeout, message, cancelled);
    }

    private Session OpenSession(string operation)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _state == ConnectionState.Open ? Session
            : throw new InvalidOperationException($"{operation} needs an open connection: call Open() first.");
    }

    /// <inheritdoc />
    public override int ConnectionTimeout => 0;

    /// <summary>The default timeout, in seconds, of commands created on this connection.</summary>
    public int DefaultCommandTimeout => _settings.CommandTimeout;

    /// <summary>The name of the data folder, or <c>:memory:</c>; for another storage, its data source as shown (no password).</summary>
    public override string Database => _database ??= !IsEmbedded ? DataSource
        : _settings.DataSource == ":memory:" ? "main" : Path.GetFileName(Path.TrimEndingDirectorySeparator(_settings.DataSource));

    /// <inheritdoc />
    /// <remarks>A PostgreSQL data source is shown as server, port, database and schema, without its password.</remarks>
    public override string DataSource => BuiltInStoreProviders.Describe(_settings.Storage, _settings.DataSource);

    private bool IsEmbedded => string.Equals(_settings.Storage.Trim(), StemeConnectionStringBuilder.DefaultStorage, StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    public override string ServerVersion => typeof(StemeConnection).Assembly.GetName().Version?.ToString() ?? "1.0.0";

    /// <inheritdoc />
    public override ConnectionState State => _state;

    /// <inheritdoc />
    protected override DbProviderFactory DbProviderFactory => StemeFactory.Instance;

    /// <summary>The transaction in progress, if any.</summary>
    internal StemeTransaction? Transaction { get; set; }

    /// <summary>The ambient transaction this connection takes part in, while it is active.</summary>
    private TransactionEnlistment? _enlistment;

    /// <summary>Who this connection may write as besides its own agent (set on open).</summary>
    internal IAgentAuthorization AgentAuthorization { get; private set; } = ConnectionStringAgentAuthorization.OwnAgentOnly;

    /// <summary>
    /// Closes every data folder's store that no open connection uses, now, instead of when its
    /// <c>Store Idle Timeout</c> runs out: frees the folder for another process, or memory, at once.
    /// Named as the pools of other ADO.NET providers are cleared.
    /// </summary>
    public static void ClearAllPools() => StoreProviders.CloseIdle();

    /// <summary>The session of an open connection.</summary>
    internal Session Session => _session ?? throw new InvalidOperationException("The connection is not open: call Open() first.");

    private Session? _session;
    private long _lastWriteLsn;

    /// <inheritdoc />
    public override void Open()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_state == ConnectionState.Open)
            throw new InvalidOperationException("The connection is already open.");
        if (string.IsNullOrWhiteSpace(_settings.DataSource))
            throw new InvalidOperationException("The connection string has no Data Source: set it to a folder, e.g. \"Data Source=./stemedb\", or to :memory:.");
        BuiltInStoreProviders.Ensure();
        var loggers = LoggerFactory ?? StemeLoggingConfiguration.GlobalLoggerFactory;
        var connectionLogger = loggers.CreateLogger(StemeLog.ConnectionCategory);
        _session = Session.Open(new SessionOptions(_settings.DataSource, _settings.Agent)
        {
            Storage = _settings.Storage,
            Consistency = ReadConsistencyOf(_settings.Consistency),
            // A :memory: store is new on every open, so an older token would name a write it never had.
            LastWriteLsn = _settings.DataSource.Trim() == StoreRegistry.InMemory ? 0 : _lastWriteLsn,
            ReadOnly = _settings.ReadOnly,
            SalvageJournal = _settings.Recovery == StemeRecovery.Salvage,
            Objects = _settings.ObjectSettings,
            StoreIdleTimeout = TimeSpan.FromSeconds(_settings.StoreIdleTimeout),
            // An upgrade can hold the open for minutes on a large store: say so before it starts, not only after.
            OnSchemaUpgrade = upgrade => StemeLog.SchemaUpgrade(connectionLogger, upgrade),
        });
        AgentAuthorization = _settings.AllowAgentOverride ? new ConnectionStringAgentAuthorization(true) : ConnectionStringAgentAuthorization.OwnAgentOnly;
        (ConnectionLogger, CommandLogger) = (connectionLogger, loggers.CreateLogger(StemeLog.CommandCategory));
        _state = ConnectionState.Open;
        if (_settings.Enlist && System.Transactions.Transaction.Current is { } ambient)
        {
            try
            {
                EnlistTransaction(ambient);
            }
            catch
            {
                // Not opened after all: no StateChange, no store event and no connection counted.
                _session.Dispose();
                (_session, _state) = (null, ConnectionState.Closed);
                throw;
            }
        }
        // Counted only once the open can no longer fail, so every count has its Close.
        OpenStores.Opened(_session.Store, DataSource, Database, _settings.Recovery == StemeRecovery.Salvage, ConnectionLogger);
        // Fixed until Close, so the connection count it adds here it also takes away there.
        TelemetryEnabled = TelemetryAllowed && Telemetry.EnabledByProcess;
        if (TelemetryEnabled) Telemetry.CountConnection(1, DataSource);
        OnStateChange(new StateChangeEventArgs(ConnectionState.Closed, ConnectionState.Open));
    }

    /// <inheritdoc />
    public override Task OpenAsync(CancellationToken cancellationToken) => SyncAsync.Run(Open, cancellationToken);

    /// <summary>
    /// Takes part in <paramref name="transaction"/>: the writes made on this connection until it ends are
    /// applied when it commits and dropped when it rolls back. <see cref="Open"/> does this for the ambient
    /// <see cref="System.Transactions.Transaction.Current"/> unless the connection string says <c>Enlist=false</c>.
    /// A null transaction does nothing.
    /// </summary>
    /// <exception cref="InvalidOperationException">The connection is closed, has a transaction of its own, or takes part in another ambient transaction.</exception>
    public override void EnlistTransaction(System.Transactions.Transaction? transaction)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (transaction is null) return;
        var session = OpenSession("EnlistTransaction");
        if (_enlistment is { Active: true } current)
        {
            if (current.Transaction.Equals(transaction)) return;
            throw new InvalidOperationException("The connection already takes part in another System.Transactions transaction: open another connection for this one.");
        }
        if (Transaction is not null)
            throw new InvalidOperationException("The connection has a transaction of its own (BeginTransaction): commit or roll it back before enlisting.");
        if (transaction.TransactionInformation.Status != System.Transactions.TransactionStatus.Active)
            throw new InvalidOperationException("The System.Transactions transaction is no longer active: it has committed or rolled back.");
        session.BeginTransaction();
        var enlistment = new TransactionEnlistment(session, transaction, lsn => _lastWriteLsn = Math.Max(_lastWriteLsn, lsn));
        transaction.EnlistVolatile(enlistment, System.Transactions.EnlistmentOptions.None);
        _enlistment = enlistment;
    }

    /// <inheritdoc />
    public override void Close()
    {
        if (_state == ConnectionState.Closed) return;
        Transaction?.Dispose();
        _lastWriteLsn = _session?.LastWriteLsn ?? _lastWriteLsn;
        if (_session is not null)
        {
            OpenStores.Closed(_session.Store, ConnectionLogger);
            if (TelemetryEnabled) Telemetry.CountConnection(-1, DataSource);
        }
        // A scope still open owns the session's pending writes: it commits or drops them, then releases the session.
        if (_enlistment is not { } enlistment || !enlistment.Detach()) _session?.Dispose();
        _enlistment = null;
        _session = null;
        _state = ConnectionState.Closed;
        OnStateChange(new StateChangeEventArgs(ConnectionState.Open, ConnectionState.Closed));
    }

    private static ReadConsistency ReadConsistencyOf(StemeConsistency consistency) => consistency switch
    {
        StemeConsistency.Eventual => ReadConsistency.Eventual,
        StemeConsistency.AtLeast => ReadConsistency.AtLeast,
        StemeConsistency.Process => ReadConsistency.Process,
        _ => ReadConsistency.ReadYourWrites,
    };

    /// <summary>Creates a command on this connection.</summary>
    public new StemeCommand CreateCommand() => new() { Connection = this, Transaction = Transaction };

    /// <inheritdoc />
    protected override DbCommand CreateDbCommand() => CreateCommand();

    /// <inheritdoc />
    public override bool CanCreateBatch => true;

    /// <summary>Creates a batch on this connection, in its transaction if one is in progress.</summary>
    public new StemeBatch CreateBatch() => new(this, Transaction);

    /// <inheritdoc />
    protected override DbBatch CreateDbBatch() => CreateBatch();

    /// <summary>Starts a transaction: its writes are applied together at commit, or not at all.</summary>
    public new StemeTransaction BeginTransaction() => BeginTransaction(IsolationLevel.Unspecified);

    /// <summary>Starts a transaction at the given isolation level (StemeQL transactions are serializable).</summary>
    public new StemeTransaction BeginTransaction(IsolationLevel isolationLevel)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_state != ConnectionState.Open)
            throw new InvalidOperationException("BeginTransaction needs an open connection: call Open() first.");
        if (Transaction is not null)
            throw new InvalidOperationException("A transaction is already in progress on this connection; StemeQL does not nest transactions.");
        if (_enlistment is { Active: true })
            throw new InvalidOperationException("The connection takes part in an ambient TransactionScope, which is its transaction: complete the scope instead, or open the connection with Enlist=false.");
        Session.BeginTransaction();
        return Transaction = new StemeTransaction(this, isolationLevel);
    }

    /// <inheritdoc />
    protected override DbTransaction BeginDbTransaction(IsolationLevel isolationLevel) => BeginTransaction(isolationLevel);

    /// <summary>The list of schema collections (<c>MetaDataCollections</c>).</summary>
    public override DataTable GetSchema() => GetSchema(DbMetaDataCollectionNames.MetaDataCollections);

    /// <summary>
    /// A schema collection: <c>MetaDataCollections</c>, <c>DataSourceInformation</c>, <c>DataTypes</c>,
    /// <c>Restrictions</c>, <c>ReservedWords</c>, or StemeQL's <c>Relations</c>, <c>Columns</c> and <c>Lenses</c>.
    /// </summary>
    public override DataTable GetSchema(string collectionName) => GetSchema(collectionName, []);

    /// <summary>A schema collection filtered by restrictions (see the <c>Restrictions</c> collection); a null restriction matches all.</summary>
    public override DataTable GetSchema(string collectionName, string?[] restrictionValues)
    {
        OpenSession("GetSchema");
        return SchemaCollections.Get(this, collectionName, restrictionValues);
    }

    /// <summary>Not supported: a connection's database is its data folder.</summary>
    public override void ChangeDatabase(string databaseName) =>
        throw new NotSupportedException("A StemeQL connection's database is its Data Source folder: open a new connection to use another.");

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            Close();
            _disposed = true;
        }
        base.Dispose(disposing);
    }
}
