using System.Data;
using System.Data.Common;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using StemeQL.Internal;
using StemeQL.Planner.Binding;
using StemeQL.Planner.Execution;

namespace StemeQL;

/// <summary>
/// One or more StemeQL statements separated by <c>;</c>. Each statement gives its own result set
/// (<see cref="DbDataReader.NextResult"/>). Outside a transaction the command is one implicit
/// transaction: its writes are one atomic write, applied only if every statement succeeds, and its
/// queries see the command's earlier writes (read through them, not applied). The text is parsed
/// and planned once per process and cached, so repeated and prepared commands skip both.
/// </summary>
public sealed class StemeCommand : DbCommand
{
    private string _commandText = "";
    private StemeConnection? _connection;
    private int? _commandTimeout;
    private CommandCancellation? _running;
    private StemeDataReader? _openReader;
    private bool _disposed;

    /// <summary>A command with no text and no connection.</summary>
    public StemeCommand() { }

    /// <summary>A command with text, optionally on a connection and in a transaction.</summary>
    public StemeCommand(string? commandText, StemeConnection? connection = null, StemeTransaction? transaction = null)
    {
        CommandText = commandText;
        Connection = connection;
        Transaction = transaction;
    }

    /// <inheritdoc />
    [AllowNull]
    public override string CommandText
    {
        get => _commandText;
        set
        {
            CheckNoOpenReader("CommandText cannot change");
            _commandText = value ?? "";
        }
    }

    /// <summary>Seconds to wait for the command before a <see cref="StemeErrorCode.Timeout"/>; 0 waits forever.</summary>
    public override int CommandTimeout
    {
        get => _commandTimeout ?? _connection?.DefaultCommandTimeout ?? StemeConnectionStringBuilder.DefaultCommandTimeout;
        set => _commandTimeout = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "CommandTimeout cannot be negative.");
    }

    /// <summary>
    /// A visibility token: the command's queries first wait until the materialized views include this
    /// LSN, typically another connection's <see cref="StemeConnection.LastWriteLsn"/>, so they see that
    /// write. Honoured at every <see cref="StemeConsistency"/> level and required by
    /// <see cref="StemeConsistency.AtLeast"/>. 0 (the default) asks for nothing beyond the level; the
    /// wait counts against <see cref="CommandTimeout"/>.
    /// </summary>
    public long MinimumLsn
    {
        get => _minimumLsn;
        set => _minimumLsn = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "MinimumLsn cannot be negative: use 0 for none.");
    }

    private long _minimumLsn;
    private IReadOnlyList<PreparedStatement>? _prepared;
    private Session? _preparedFor;
    private string? _preparedText;
    private ParameterValues? _parameterValues;
    private BoundStatement[]? _bound;
    private StemeDataReader? _ownReader; // ExecuteNonQuery's and ExecuteScalar's, never handed out

    /// <summary>Only <see cref="CommandType.Text"/> is supported.</summary>
    public override CommandType CommandType
    {
        get => CommandType.Text;
        set
        {
            if (value != CommandType.Text)
                throw new ArgumentException("StemeQL commands are always CommandType.Text.", nameof(value));
        }
    }

    /// <inheritdoc />
    public override bool DesignTimeVisible { get; set; }

    /// <inheritdoc />
    public override UpdateRowSource UpdatedRowSource { get; set; }

    /// <summary>The connection the command runs on.</summary>
    public new StemeConnection? Connection
    {
        get => _connection;
        set
        {
            if (value != _connection) CheckNoOpenReader("Connection cannot change");
            _connection = value;
        }
    }

    /// <inheritdoc />
    protected override DbConnection? DbConnection
    {
        get => _connection;
        set => Connection = value is null or StemeConnection ? (StemeConnection?)value
            : throw new ArgumentException($"A StemeCommand needs a StemeConnection, not {value.GetType().Name}.", nameof(value));
    }

    /// <summary>The parameters bound to <c>@name</c> in the text.</summary>
    public new StemeParameterCollection Parameters { get; } = new();

    /// <inheritdoc />
    protected override DbParameterCollection DbParameterCollection => Parameters;

    /// <summary>The transaction the command runs in.</summary>
    public new StemeTransaction? Transaction { get; set; }

    /// <inheritdoc />
    protected override DbTransaction? DbTransaction
    {
        get => Transaction;
        set => Transaction = value is null or StemeTransaction ? (StemeTransaction?)value
            : throw new ArgumentException($"A StemeCommand needs a StemeTransaction, not {value.GetType().Name}.", nameof(value));
    }

    /// <summary>Creates a parameter.</summary>
    public new StemeParameter CreateParameter() => new();

    /// <inheritdoc />
    protected override DbParameter CreateDbParameter() => CreateParameter();

    /// <summary>Parses and plans the text now (it is cached either way), so errors surface here.</summary>
    public override void Prepare() => PrepareStatements();

    /// <summary>Cancels the command if it is running; otherwise does nothing.</summary>
    public override void Cancel() => _running?.Cancel();

    /// <summary>Runs the command and returns a reader over its result sets.</summary>
    public new StemeDataReader ExecuteReader() => ExecuteReader(CommandBehavior.Default);

    /// <summary>Runs the command and returns a reader over its result sets.</summary>
    public new StemeDataReader ExecuteReader(CommandBehavior behavior) => Execute(behavior, CancellationToken.None);

    /// <inheritdoc />
    protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior) => ExecuteReader(behavior);

    /// <inheritdoc />
    protected override Task<DbDataReader> ExecuteDbDataReaderAsync(CommandBehavior behavior, CancellationToken cancellationToken) =>
        SyncAsync.Run<DbDataReader>(() => Execute(behavior, cancellationToken), cancellationToken);

    /// <summary>Runs every statement; returns the number of assertions and votes written (-1 if none).</summary>
    public override int ExecuteNonQuery() => NonQuery(CancellationToken.None);

    /// <inheritdoc />
    public override Task<int> ExecuteNonQueryAsync(CancellationToken cancellationToken) =>
        SyncAsync.Run(() => NonQuery(cancellationToken), cancellationToken);

    /// <summary>The first column of the first row of the first result set (an ASSERT's hash), or null.</summary>
    public override object? ExecuteScalar() => Scalar(CancellationToken.None);

    /// <inheritdoc />
    public override Task<object?> ExecuteScalarAsync(CancellationToken cancellationToken) =>
        SyncAsync.Run(() => Scalar(cancellationToken), cancellationToken);

    // These two read through a reader of the command's own that the caller never sees, so each
    // execution runs on the same one (StemeDataReader.Restart) instead of a new one.
    private int NonQuery(CancellationToken cancellationToken)
    {
        using var reader = Execute(CommandBehavior.Default, cancellationToken, reuseReader: true);
        while (reader.NextResult()) { }
        reader.Close();
        return reader.RecordsAffected;
    }

    private object? Scalar(CancellationToken cancellationToken)
    {
        using var reader = Execute(CommandBehavior.Default, cancellationToken, reuseReader: true);
        return reader.Read() ? reader.GetValue(0) : null;
    }

    /// <inheritdoc />
    public override Task PrepareAsync(CancellationToken cancellationToken = default) => SyncAsync.Run(Prepare, cancellationToken);

    private StemeDataReader Execute(CommandBehavior behavior, CancellationToken cancellationToken, bool reuseReader = false)
    {
        var connection = CheckExecutable();
        ExecutionChecks.Transaction(connection, Transaction, "command");
        // The timeout starts before parsing and planning, so CommandTimeout bounds them too.
        var cancellation = CommandCancellation.Next(_running, CommandTimeout, cancellationToken);
        _running = cancellation;
        long started = Stopwatch.GetTimestamp();
        bool reading = false;
        try
        {
            var statements = Reused(connection.Session) ?? Prepare(connection.Session, cancellation);
            // The previous execution's reader is closed (CheckExecutable), so its values and statement
            // list are bound again in place: a prepared command allocates neither per execution.
            // Guarded: a Stream parameter is stored now, and a timeout that fell before it is a Timeout error.
            var parameters = cancellation.Guard((Command: this, connection.Session, Cancellation: cancellation),
                static s => ParameterBinder.Bind(s.Command.Parameters, s.Session, s.Cancellation, into: s.Command._parameterValues));
            if (!ReferenceEquals(parameters, ParameterValues.None)) _parameterValues = parameters;
            var bound = _bound is { } spare && spare.Length == statements.Count ? spare : new BoundStatement[statements.Count];
            for (int i = 0; i < bound.Length; i++) bound[i] = new BoundStatement(statements[i], parameters, 0);
            _bound = bound;
            reading = true;
            var reader = Reader(connection, bound, behavior, cancellation, reuseReader);
            reader.OnClose(this);
            return _openReader = reader;
        }
        catch (Exception e)
        {
            // The reader reports its own failures; these are the parse, plan and bind errors before it.
            if (!reading) CommandTelemetry.FailedBeforeReader(connection, _commandText, started, e);
            cancellation.Dispose();
            throw;
        }
    }

    private StemeDataReader Reader(StemeConnection connection, BoundStatement[] bound, CommandBehavior behavior,
        CommandCancellation cancellation, bool reuse)
    {
        if (!reuse) return new StemeDataReader(connection, bound, behavior, cancellation, minimumLsn: _minimumLsn);
        if (_ownReader is { } own)
        {
            own.Restart(connection, bound, behavior, cancellation, _minimumLsn);
            return own;
        }
        return _ownReader = new StemeDataReader(connection, bound, behavior, cancellation, minimumLsn: _minimumLsn);
    }

    // A static lambda over a struct state: a new command per call (as Dapper makes) allocates no closure.
    private IReadOnlyList<PreparedStatement> Prepare(Session session, CommandCancellation cancellation) =>
        cancellation.Guard((Command: this, Session: session, cancellation.Token),
            static s => s.Command.Remember(s.Session, s.Session.Prepare(s.Command._commandText, s.Token)));

    private IReadOnlyList<PreparedStatement> PrepareStatements()
    {
        var session = CheckExecutable().Session;
        return Reused(session) ?? Remember(session, session.Prepare(_commandText));
    }

    // A command keeps the statements it last prepared: executing it again with the same text on the
    // same session skips even the plan cache's lookup (a string key and a lock per execution).
    private IReadOnlyList<PreparedStatement>? Reused(Session session) =>
        _prepared is { } prepared && ReferenceEquals(_preparedFor, session) && ReferenceEquals(_preparedText, _commandText) ? prepared : null;

    private IReadOnlyList<PreparedStatement> Remember(Session session, IReadOnlyList<PreparedStatement> statements)
    {
        (_prepared, _preparedFor, _preparedText) = (statements, session, _commandText);
        return statements;
    }

    /// <summary>Called by <paramref name="reader"/> when it closes: the command may run again.</summary>
    internal void ReaderClosed(StemeDataReader reader)
    {
        if (ReferenceEquals(_openReader, reader)) _openReader = null;
    }

    // ADO.NET allows one open reader per command: a second execution or a new text would leave the first reading a command that no longer exists.
    private void CheckNoOpenReader(string what)
    {
        if (_openReader is not null)
            throw new InvalidOperationException($"{what} while the command's data reader is open: close or dispose the reader first.");
    }

    private StemeConnection CheckExecutable()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        CheckNoOpenReader("The command cannot run again");
        var connection = ExecutionChecks.OpenConnection(_connection, "command", "connection.CreateCommand()");
        if (string.IsNullOrWhiteSpace(_commandText))
            throw new InvalidOperationException("CommandText is empty: set it to one or more StemeQL statements.");
        return connection;
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        _disposed = true;
        base.Dispose(disposing);
    }
}
