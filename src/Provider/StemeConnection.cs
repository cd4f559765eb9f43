using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using StemeQL.Planner.Execution;

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
            _connectionString = value ?? "";
        }
    }

    /// <summary>The agent this connection writes as.</summary>
    public string Agent => _settings.Agent;

    /// <summary>How fresh this connection's reads are.</summary>
    public StemeConsistency Consistency => _settings.Consistency;

    /// <inheritdoc />
    public override int ConnectionTimeout => 0;

    /// <summary>The default timeout, in seconds, of commands created on this connection.</summary>
    public int DefaultCommandTimeout => _settings.CommandTimeout;

    /// <summary>The name of the data folder, or <c>:memory:</c>.</summary>
    public override string Database => _settings.DataSource == ":memory:" ? "main" : Path.GetFileName(Path.TrimEndingDirectorySeparator(_settings.DataSource));

    /// <inheritdoc />
    public override string DataSource => _settings.DataSource;

    /// <inheritdoc />
    public override string ServerVersion => typeof(StemeConnection).Assembly.GetName().Version?.ToString() ?? "1.0.0";

    /// <inheritdoc />
    public override ConnectionState State => _state;

    /// <inheritdoc />
    protected override DbProviderFactory DbProviderFactory => StemeFactory.Instance;

    /// <summary>The transaction in progress, if any.</summary>
    internal StemeTransaction? Transaction { get; set; }

    /// <summary>The session of an open connection.</summary>
    internal Session Session => _session ?? throw new InvalidOperationException("The connection is not open: call Open() first.");

    private Session? _session;

    /// <inheritdoc />
    public override void Open()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_state == ConnectionState.Open)
            throw new InvalidOperationException("The connection is already open.");
        if (string.IsNullOrWhiteSpace(_settings.DataSource))
            throw new InvalidOperationException("The connection string has no Data Source: set it to a folder, e.g. \"Data Source=./stemedb\", or to :memory:.");
        _session = Session.Open(new SessionOptions(_settings.DataSource, _settings.Agent)
        {
            StrongConsistency = _settings.Consistency == StemeConsistency.Strong,
            ReadOnly = _settings.ReadOnly,
            SalvageJournal = _settings.Recovery == StemeRecovery.Salvage,
        });
        _state = ConnectionState.Open;
        OnStateChange(new StateChangeEventArgs(ConnectionState.Closed, ConnectionState.Open));
    }

    /// <inheritdoc />
    public override Task OpenAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Open();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public override void Close()
    {
        if (_state == ConnectionState.Closed) return;
        Transaction?.Dispose();
        _session?.Dispose();
        _session = null;
        _state = ConnectionState.Closed;
        OnStateChange(new StateChangeEventArgs(ConnectionState.Open, ConnectionState.Closed));
    }

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
        Session.BeginTransaction();
        return Transaction = new StemeTransaction(this, isolationLevel);
    }

    /// <inheritdoc />
    protected override DbTransaction BeginDbTransaction(IsolationLevel isolationLevel) => BeginTransaction(isolationLevel);

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
