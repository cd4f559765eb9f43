using System.Collections;
using System.Collections.ObjectModel;
using System.Data;
using System.Data.Common;
using StemeQL.Core.Model;
using StemeQL.Internal;
using StemeQL.Planner.Binding;
using StemeQL.Planner.Execution;

namespace StemeQL;

/// <summary>
/// Reads the result sets of a command or batch, one per statement, streaming rows as the plan
/// produces them. Statements run as the reader reaches them, except that a run of consecutive
/// ASSERT / VOTE statements is written at once, atomically, when its first statement is reached.
/// Closing the reader runs any write it did not reach, so every write happens whether or not its
/// rows are read; after a statement fails, nothing more runs. A command or batch that mixes writes
/// with queries runs whole, as one implicit transaction, when the reader is created (see
/// <see cref="StemeQL.Internal.StatementRunner"/>).
/// <para>
/// <see cref="CommandBehavior.SingleResult"/> stops at the first result set and
/// <see cref="CommandBehavior.SingleRow"/> at its first row (writes after them still run on close);
/// <see cref="CommandBehavior.SchemaOnly"/> runs nothing and gives each statement's columns with no rows.
/// </para>
/// </summary>
public sealed partial class StemeDataReader : DbDataReader, IDbColumnSchemaGenerator
{
    // Not readonly: a command's ExecuteNonQuery and ExecuteScalar run their next execution on the same
    // reader (Restart), which never reaches the caller, so it is not allocated per execution.
    private StemeConnection _connection;
    private StatementRunner _runner;
    private IReadOnlyList<StemeBatchCommand>? _batchCommands;
    private CommandBehavior _behavior;
    private CommandCancellation _cancellation;
    private CommandTelemetry? _telemetry;
    private StatementResult? _result;
    private IEnumerator<StemeValue[]>? _rows;
    private InPlaceRows? _inPlace; // _rows when the values are read from the store's row (see InPlaceRows)
    private StemeValue[]? _peeked;
    private StemeValue[]? _row;
    private bool _hasRows;
    private int _recordsAffected = -1;
    private bool _closed;
    private bool _rowTaken;
    private StemeCommand? _command; // told when this reader closes

    /// <param name="connection">The open connection the statements run on.</param>
    /// <param name="statements">The statements with their parameters, in order.</param>
    /// <param name="behavior">The caller's behavior flags.</param>
    /// <param name="cancellation">The execution's cancellation and timeout; the reader disposes it.</param>
    /// <param name="batchCommands">For a batch, its commands, whose RecordsAffected the reader sets.</param>
    /// <param name="minimumLsn">The command's visibility token (0: none).</param>
    internal StemeDataReader(StemeConnection connection, IReadOnlyList<BoundStatement> statements, CommandBehavior behavior,
        CommandCancellation cancellation, IReadOnlyList<StemeBatchCommand>? batchCommands = null, long minimumLsn = 0)
    {
        _connection = connection;
        _cancellation = cancellation;
        _runner = new StatementRunner();
        Start(connection, statements, behavior, cancellation, batchCommands, minimumLsn);
    }

    /// <summary>
    /// Runs a new execution on this closed reader, as a new reader would (the parameters are the
    /// constructor's). Only for a reader the caller never sees: one a caller kept would open again.
    /// </summary>
    internal void Restart(StemeConnection connection, IReadOnlyList<BoundStatement> statements, CommandBehavior behavior,
        CommandCancellation cancellation, long minimumLsn = 0)
    {
        if (!_closed) throw new InvalidOperationException("Only a closed data reader runs again.");
        (_result, _rows, _inPlace, _peeked, _row, _hasRows, _sharedTypes) = (null, null, null, null, null, false, null);
        (_recordsAffected, _closed, _rowTaken, _command) = (-1, false, false, null);
        Start(connection, statements, behavior, cancellation, batchCommands: null, minimumLsn);
    }

    private void Start(StemeConnection connection, IReadOnlyList<BoundStatement> statements, CommandBehavior behavior,
        CommandCancellation cancellation, IReadOnlyList<StemeBatchCommand>? batchCommands, long minimumLsn)
    {
        _connection = connection;
        _runner.Start(connection.Session, statements, cancellation, minimumLsn, (behavior & CommandBehavior.SchemaOnly) != 0);
        _batchCommands = batchCommands;
        _behavior = behavior;
        _cancellation = cancellation;
        _telemetry = CommandTelemetry.Start(connection, statements);
        try
        {
            StartNextResult();
        }
        catch (Exception e)
        {
            // A query that failed on its first row holds a store read open until its rows are disposed.
            _rows?.Dispose();
            _telemetry?.Failed(e);
            _telemetry?.Stop();
            _cancellation.Dispose();
            // Closed, so a command's reused reader can run again after a failed execution.
            _closed = true;
            throw;
        }
    }

    /// <inheritdoc />
    public override int Depth => 0;

    /// <inheritdoc />
    public override int FieldCount => Columns.Count;

    /// <inheritdoc />
    public override bool HasRows => CheckOpen()._hasRows;

    /// <inheritdoc />
    public override bool IsClosed => _closed;

    /// <summary>The number of assertions and votes written by the statements run so far; -1 when none wrote.</summary>
    public override int RecordsAffected => _recordsAffected;

    /// <inheritdoc />
    public override object this[int ordinal] => GetValue(ordinal);

    /// <inheritdoc />
    public override object this[string name] => GetValue(GetOrdinal(name));

    private IReadOnlyList<ResultColumn> Columns => CheckOpen()._result?.Columns ?? [];

    /// <summary>Called once when the reader closes (its command stops counting it as open).</summary>
    internal void OnClose(StemeCommand command) => _command = command;

    /// <inheritdoc />
    public override bool Read()
    {
        CheckOpen();
        if ((_behavior & CommandBehavior.SingleRow) != 0)
        {
            if (_rowTaken) return Done();
            _rowTaken = true;
        }
        if (_peeked is not null)
        {
            (_row, _peeked) = (_peeked, null);
            _telemetry?.RowRead();
            return true;
        }
        // A write's rows are only enumerated once read (ExecuteNonQuery never reads them).
        if (_rows is null && _result is not null) _rows = _result.Rows.GetEnumerator();
        try
        {
            _row = _rows is not null && _cancellation.MoveNext(_rows) ? _rows.Current : null;
        }
        catch (Exception e) when (_telemetry?.Failed(e) ?? false) { throw; }
        if (_row is not null) _telemetry?.RowRead();
        return _row is not null;
    }

    // Past the single row CommandBehavior.SingleRow asks for: no current row, as at the end.
    private bool Done()
    {
        _row = null;
        return false;
    }

    /// <inheritdoc />
    public override Task<bool> ReadAsync(CancellationToken cancellationToken) => SyncAsync.Run(Read, cancellationToken);

    /// <inheritdoc />
    public override bool NextResult()
    {
        CheckOpen();
        if ((_behavior & CommandBehavior.SingleResult) != 0 || (_behavior & CommandBehavior.SingleRow) != 0)
        {
            // One result set only: the ones after it are not results, though their writes run on close.
            _rows?.Dispose();
            (_rows, _inPlace, _result, _row, _peeked, _hasRows) = (null, null, null, null, null, false);
            return false;
        }
        try
        {
            return StartNextResult();
        }
        catch (Exception e) when (_telemetry?.Failed(e) ?? false) { throw; }
    }

    /// <inheritdoc />
    public override Task<bool> NextResultAsync(CancellationToken cancellationToken) => SyncAsync.Run(NextResult, cancellationToken);

    private bool StartNextResult()
    {
        _rows?.Dispose();
        (_rows, _inPlace, _result, _row, _peeked, _hasRows, _sharedTypes) = (null, null, null, null, null, false, null);
        if (!_runner.HasMore) return false;
        (_result, int command) = _runner.RunNext();
        if (_result.RecordsAffected >= 0)
        {
            _recordsAffected = Math.Max(_recordsAffected, 0) + _result.RecordsAffected;
            _batchCommands?[command].AddRecordsAffected(_result.RecordsAffected);
            if (_connection.TelemetryEnabled) Telemetry.CountWrites(_runner.Last, _result.RecordsAffected, _connection.Database);
        }
        if (_result.Rows is IReadOnlyCollection<StemeValue[]> counted)
        {
            // A write's rows are counted, and built only if read (ExecuteNonQuery never reads them).
            _hasRows = counted.Count > 0;
            return true;
        }
        _rows = _result.Rows is InPlaceRows inPlace ? _inPlace = inPlace.Open() : _result.Rows.GetEnumerator();
        // Peek one row so HasRows is known before the first Read().
        _peeked = _cancellation.MoveNext(_rows) ? _rows.Current : null;
        _hasRows = _peeked is not null;
        return true;
    }

    /// <inheritdoc />
    public override void Close()
    {
        if (_closed) return;
        try
        {
            // Like Microsoft.Data.Sqlite: writes not yet reached still run, so none is skipped (and
            // RecordsAffected counts them); queries after the last write are not run (they write
            // nothing, and could only fail the Dispose).
            while (_runner.HasMoreWrites) StartNextResult();
        }
        catch (Exception e) when (_telemetry?.Failed(e) ?? false) { throw; }
        finally
        {
            _telemetry?.Stop();
            _rows?.Dispose();
            // A closed reader serves no rows: let them go, since a command keeps its own reader (Restart).
            (_rows, _inPlace, _result, _row, _peeked, _sharedTypes, _telemetry) = (null, null, null, null, null, null, null);
            _runner.Finish();
            _closed = true;
            _cancellation.Dispose();
            _command?.ReaderClosed(this);
            if ((_behavior & CommandBehavior.CloseConnection) != 0) _connection.Close();
        }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) Close();
        base.Dispose(disposing);
    }

    /// <inheritdoc />
    public override Task CloseAsync()
    {
        Close();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public override IEnumerator GetEnumerator() => new DbEnumerator(this, closeReader: false);

    /// <summary>The schema of the current result set.</summary>
    public ReadOnlyCollection<DbColumn> GetColumnSchema() =>
        Columns.Select((c, i) => (DbColumn)new StemeDbColumn(c, i, ResultType(i))).ToList().AsReadOnly();

    private StemeDataReader CheckOpen() => _closed
        ? throw new InvalidOperationException("The data reader is closed.")
        : this;
}
