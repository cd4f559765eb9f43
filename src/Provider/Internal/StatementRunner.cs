using StemeQL.Planner.Binding;
using StemeQL.Planner.Execution;

namespace StemeQL.Internal;

/// <summary>
/// Runs the bound statements of a command or batch in order, one per call to <see cref="RunNext"/>,
/// so that a command or batch is atomic: if any statement fails, none of its writes is applied.
/// <list type="bullet">
/// <item>Only queries: each runs, streaming, when the reader reaches it (they write nothing).</item>
/// <item>Only writes: they are one run of consecutive ASSERT / VOTE statements, written as one
/// atomic store write (one journal append) when the first is reached.</item>
/// <item>Writes and queries mixed: everything runs when the first result is asked for, as one
/// implicit transaction (<see cref="Session.ExecuteAtomically"/>): queries are read to the end into
/// memory, through the writes before them, and the writes are applied together only when every
/// statement has succeeded.</item>
/// <item>In an explicit transaction: each statement runs when reached; writes are buffered in the
/// transaction, which commits or rolls back as the caller says.</item>
/// </list>
/// After a failure nothing more runs. With <c>schemaOnly</c> (see <see cref="Start"/>) nothing runs at all: each
/// statement gives its columns and no rows (<see cref="System.Data.CommandBehavior.SchemaOnly"/>).
/// </summary>
internal sealed class StatementRunner
{
    private Session _session = null!;
    private IReadOnlyList<BoundStatement> _statements = [];
    private CommandCancellation _cancellation = null!;
    private long _minimumLsn;
    private bool _schemaOnly;
    private bool _atomic;
    private int _next;
    private IReadOnlyList<StatementResult>? _group;
    private int _groupStart;
    private int _groupEnd;
    private bool _failed;
    private WriteRun? _writes; // reused: Session.ExecuteWrites reads it only while it runs

    /// <summary>Starts over on <paramref name="statements"/>: a reader that runs again reuses its runner.</summary>
    public void Start(Session session, IReadOnlyList<BoundStatement> statements, CommandCancellation cancellation,
        long minimumLsn = 0, bool schemaOnly = false)
    {
        (_session, _statements, _cancellation, _minimumLsn, _schemaOnly) = (session, statements, cancellation, minimumLsn, schemaOnly);
        _atomic = !session.InTransaction && MixesWritesAndQueries(statements);
        (_next, _group, _groupStart, _groupEnd, _failed) = (0, null, 0, 0, false);
        Last = null;
    }

    /// <summary>Lets go of the results of the last run of writes or the atomic run (their rows may be in memory).</summary>
    public void Finish() => _group = null;

    /// <summary>True while statements remain to run.</summary>
    public bool HasMore => !_failed && _next < _statements.Count;

    /// <summary>True while a write remains whose result the reader has not reached (it may have run already, in a run of writes).</summary>
    public bool HasMoreWrites
    {
        get
        {
            if (!HasMore || _schemaOnly) return false;
            for (int i = _next; i < _statements.Count; i++)
            {
                if (_statements[i].Statement is PreparedWrite) return true;
            }
            return false;
        }
    }

    /// <summary>The statement whose result <see cref="RunNext"/> returned last.</summary>
    public Planner.Syntax.Statement? Last { get; private set; }

    /// <summary>Runs (or takes from the current write run, or the atomic run) the next statement's result.</summary>
    public (StatementResult Result, int Command) RunNext()
    {
        if (!HasMore) throw new InvalidOperationException("No statements remain.");
        int index = _next++;
        var statement = _statements[index];
        Last = statement.Statement.Syntax;
        if (_schemaOnly) return (new StatementResult(Session.ColumnsOf(statement.Statement), Array.Empty<Core.Model.StemeValue[]>(), -1), statement.Command);
        try
        {
            if (_group is not null && index < _groupEnd)
                return (_group[index - _groupStart], statement.Command);
            if (_atomic)
                return (RunAll(), statement.Command);
            if (statement.Statement is PreparedWrite)
                return (RunWrites(index), statement.Command);
            return (RunOne(statement), statement.Command);
        }
        catch
        {
            _failed = true;
            throw;
        }
    }

    private static bool MixesWritesAndQueries(IReadOnlyList<BoundStatement> statements)
    {
        bool writes = false, queries = false;
        for (int i = 0; i < statements.Count; i++) // not foreach: over the interface it allocates an enumerator per command
        {
            if (statements[i].Statement is PreparedWrite) writes = true;
            else queries = true;
            if (writes && queries) return true;
        }
        return false;
    }

    // Static lambdas over value tuples: a keyed read or a write allocates no closure.
    // The execution's cancellation is also the clock a write stops while it stores large values.
    private StatementResult RunOne(BoundStatement statement) =>
        _cancellation.Guard((Session: _session, Statement: statement, Cancellation: _cancellation, MinimumLsn: _minimumLsn),
            static s => s.Session.Execute(s.Statement.Statement, s.Statement.Parameters, s.Cancellation.Token, s.MinimumLsn, s.Cancellation));

    private StatementResult RunAll()
    {
        var all = new (PreparedStatement, ParameterValues)[_statements.Count];
        for (int i = 0; i < all.Length; i++) all[i] = (_statements[i].Statement, _statements[i].Parameters);
        _group = _cancellation.Guard(() => _session.ExecuteAtomically(all, _cancellation.Token, _minimumLsn, _cancellation));
        (_groupStart, _groupEnd) = (0, _statements.Count);
        return _group[0];
    }

    private StatementResult RunWrites(int start)
    {
        int end = start;
        while (end < _statements.Count && _statements[end].Statement is PreparedWrite) end++;
        var writes = _writes ??= new WriteRun();
        writes.Reset(_statements, start, end);
        _group = _cancellation.Guard((Session: _session, Writes: writes, Cancellation: _cancellation),
            static s => s.Session.ExecuteWrites(s.Writes, s.Cancellation.Token, s.Cancellation));
        (_groupStart, _groupEnd) = (start, end);
        return _group[0];
    }
}
