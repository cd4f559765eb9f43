using System.Data;
using System.Data.Common;
using System.Diagnostics;
using StemeQL.Internal;
using StemeQL.Planner.Binding;

namespace StemeQL;

/// <summary>
/// Several StemeQL commands, each with its own parameters, run in one execution. Each statement gives
/// its own result set, in order. Outside a transaction the batch is one implicit transaction: its
/// writes, across commands, are one atomic write (one journal append), applied only if every
/// statement succeeds; its queries see the batch's earlier writes (read through them, not applied).
/// </summary>
public sealed class StemeBatch : DbBatch
{
    private StemeConnection? _connection;
    private int? _timeout;
    private CommandCancellation? _running;
    private bool _disposed;
    // The last execution's reader, and what it was given: once that reader is closed nothing reads them, so
    // the next execution binds into them in place instead of allocating a command array, a statement list and
    // one ParameterValues per command (about 150 of the 850 bytes per vote a batch of 1,000 VOTEs allocated).
    private StemeDataReader? _lastReader;
    private StemeBatchCommand[] _spareCommands = [];
    private List<BoundStatement>? _spareStatements;
    private ParameterValues?[] _spareValues = [];

    /// <summary>A batch with no commands and no connection.</summary>
    public StemeBatch() { }

    /// <summary>A batch on a connection, optionally in a transaction.</summary>
    public StemeBatch(StemeConnection? connection, StemeTransaction? transaction = null)
    {
        _connection = connection;
        Transaction = transaction;
    }

    /// <summary>The commands, run in order.</summary>
    public new StemeBatchCommandCollection BatchCommands { get; } = new();

    /// <inheritdoc />
    protected override DbBatchCommandCollection DbBatchCommands => BatchCommands;

    /// <summary>Seconds to wait for the whole batch before a <see cref="StemeErrorCode.Timeout"/>; 0 waits forever.</summary>
    public override int Timeout
    {
        get => _timeout ?? _connection?.DefaultCommandTimeout ?? StemeConnectionStringBuilder.DefaultCommandTimeout;
        set => _timeout = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "Timeout cannot be negative.");
    }

    /// <summary>
    /// A visibility token for the batch's queries, as <see cref="StemeCommand.MinimumLsn"/>: they first
    /// wait until the views include this LSN. 0 (the default) asks for nothing beyond the connection's level.
    /// </summary>
    public long MinimumLsn
    {
        get => _minimumLsn;
        set => _minimumLsn = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "MinimumLsn cannot be negative: use 0 for none.");
    }

    private long _minimumLsn;

    /// <summary>The connection the batch runs on.</summary>
    public new StemeConnection? Connection
    {
        get => _connection;
        set => _connection = value;
    }

    /// <inheritdoc />
    protected override DbConnection? DbConnection
    {
        get => _connection;
        set => _connection = value is null or StemeConnection ? (StemeConnection?)value
            : throw new ArgumentException($"A StemeBatch needs a StemeConnection, not {value.GetType().Name}.", nameof(value));
    }

    /// <summary>The transaction the batch runs in.</summary>
    public new StemeTransaction? Transaction { get; set; }

    /// <inheritdoc />
    protected override DbTransaction? DbTransaction
    {
        get => Transaction;
        set => Transaction = value is null or StemeTransaction ? (StemeTransaction?)value
            : throw new ArgumentException($"A StemeBatch needs a StemeTransaction, not {value.GetType().Name}.", nameof(value));
    }

    /// <summary>Creates a batch command (add it to <see cref="BatchCommands"/>).</summary>
    public new StemeBatchCommand CreateBatchCommand() => new();

    /// <inheritdoc />
    protected override DbBatchCommand CreateDbBatchCommand() => CreateBatchCommand();

    /// <summary>Runs the batch and returns a reader over its result sets, one per statement.</summary>
    public new StemeDataReader ExecuteReader(CommandBehavior behavior = CommandBehavior.Default) => Execute(behavior, CancellationToken.None);

    /// <inheritdoc />
    protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior) => ExecuteReader(behavior);

    /// <inheritdoc />
    protected override Task<DbDataReader> ExecuteDbDataReaderAsync(CommandBehavior behavior, CancellationToken cancellationToken) =>
        SyncAsync.Run<DbDataReader>(() => Execute(behavior, cancellationToken), cancellationToken);

    /// <summary>
    /// Runs every statement; returns the number of assertions and votes written (-1 if none wrote).
    /// Each command's <see cref="StemeBatchCommand.RecordsAffected"/> gives its own share.
    /// </summary>
    public override int ExecuteNonQuery() => NonQuery(CancellationToken.None);

    /// <inheritdoc />
    public override Task<int> ExecuteNonQueryAsync(CancellationToken cancellationToken = default) =>
        SyncAsync.Run(() => NonQuery(cancellationToken), cancellationToken);

    /// <summary>The first column of the first row of the first result set, or null; every statement still runs.</summary>
    public override object? ExecuteScalar() => Scalar(CancellationToken.None);

    /// <inheritdoc />
    public override Task<object?> ExecuteScalarAsync(CancellationToken cancellationToken = default) =>
        SyncAsync.Run(() => Scalar(cancellationToken), cancellationToken);

    /// <summary>Parses and plans every command's text now (it is cached either way), so errors surface here.</summary>
    public override void Prepare() => PrepareStatements();

    /// <inheritdoc />
    public override Task PrepareAsync(CancellationToken cancellationToken = default) => SyncAsync.Run(Prepare, cancellationToken);

    /// <summary>Cancels the batch if it is running; otherwise does nothing.</summary>
    public override void Cancel() => _running?.Cancel();

    private int NonQuery(CancellationToken cancellationToken)
    {
        using var reader = Execute(CommandBehavior.Default, cancellationToken);
        // Every statement runs, queries too (as StemeCommand.ExecuteNonQuery does), so their errors surface.
        while (reader.NextResult()) { }
        reader.Close();
        return reader.RecordsAffected;
    }

    private object? Scalar(CancellationToken cancellationToken)
    {
        using var reader = Execute(CommandBehavior.Default, cancellationToken);
        return reader.Read() ? reader.GetValue(0) : null;
    }

    private StemeDataReader Execute(CommandBehavior behavior, CancellationToken cancellationToken)
    {
        bool reuse = _lastReader is null || _lastReader.IsClosed;
        var (connection, commands) = Check(reuse);
        ExecutionChecks.Transaction(connection, Transaction, "batch");
        // The timeout starts before parsing and planning, so Timeout bounds them too.
        var cancellation = CommandCancellation.Next(_running, Timeout, cancellationToken);
        _running = cancellation;
        long started = Stopwatch.GetTimestamp();
        bool reading = false;
        try
        {
            var statements = cancellation.Guard(() => Bind(connection, commands, reuse, cancellation));
            reading = true;
            return _lastReader = new StemeDataReader(connection, statements, behavior, cancellation, commands, _minimumLsn);
        }
        catch (Exception e)
        {
            // The reader reports its own failures; these are the parse, plan and bind errors before it.
            if (!reading) CommandTelemetry.FailedBeforeReader(connection, string.Join(";\n", commands.Select(c => c.CommandText)), started, e);
            cancellation.Dispose();
            throw;
        }
    }

    private List<BoundStatement> Bind(StemeConnection connection, StemeBatchCommand[] commands, bool reuse, CommandCancellation cancellation)
    {
        var statements = reuse && _spareStatements is { } spare ? spare : new List<BoundStatement>(commands.Length);
        statements.Clear();
        _spareStatements = statements;
        if (_spareValues.Length < commands.Length) Array.Resize(ref _spareValues, commands.Length);
        // Batches usually repeat one command text: prepare it once, not once per command.
        string? lastText = null;
        IReadOnlyList<Planner.Execution.PreparedStatement> prepared = [];
        // Read once: the connection's agent is a connection-string lookup.
        string ownAgent = connection.Agent;
        var authorization = connection.AgentAuthorization;
        for (int i = 0; i < commands.Length; i++)
        {
            var parameters = ParameterBinder.Bind(commands[i].Parameters, connection.Session, cancellation,
                authorization.AgentFor(ownAgent, commands[i].Agent), into: reuse ? _spareValues[i] : null);
            if (!ReferenceEquals(parameters, ParameterValues.None)) _spareValues[i] = parameters;
            if (!string.Equals(commands[i].CommandText, lastText, StringComparison.Ordinal))
            {
                lastText = commands[i].CommandText;
                prepared = connection.Session.Prepare(lastText, cancellation.Token);
            }
            for (int s = 0; s < prepared.Count; s++) statements.Add(new BoundStatement(prepared[s], parameters, i));
            commands[i].ResetRecordsAffected();
        }
        return statements;
    }

    private void PrepareStatements()
    {
        var (connection, commands) = Check(reuse: false);
        foreach (var command in commands) connection.Session.Prepare(command.CommandText);
    }

    /// <summary>
    /// The open connection and a snapshot of the commands, so that editing the collection mid-read changes nothing;
    /// with <paramref name="reuse"/>, in the last execution's array when it has the right length.
    /// </summary>
    private (StemeConnection Connection, StemeBatchCommand[] Commands) Check(bool reuse)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var connection = ExecutionChecks.OpenConnection(_connection, "batch", "connection.CreateBatch()");
        if (BatchCommands.Count == 0)
            throw new InvalidOperationException("The batch has no commands: add StemeBatchCommand objects to BatchCommands.");
        var commands = reuse && _spareCommands.Length == BatchCommands.Count ? _spareCommands : new StemeBatchCommand[BatchCommands.Count];
        BatchCommands.CopyTo(commands, 0);
        if (reuse) _spareCommands = commands;
        for (int i = 0; i < commands.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(commands[i].CommandText))
                throw new InvalidOperationException($"The CommandText of batch command {i} is empty: set it to one or more StemeQL statements.");
        }
        return (connection, commands);
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _disposed = true;
        base.Dispose();
    }
}
