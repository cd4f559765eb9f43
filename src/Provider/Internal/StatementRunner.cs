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
/// After a failure nothing more runs. With <paramref name="schemaOnly"/> nothing runs at all: each
/// statement gives its columns and no rows (<see cref="System.Data.CommandBehavior.SchemaOnly"/>).
/// </summary>
internal sealed class StatementRunner(Session session, IReadOnlyList<BoundStatement> statements, CommandCancellation cancellation,
    long minimumLsn = 0, bool schemaOnly = false)
{
    private readonly bool _atomic = !session.InTransaction && MixesWritesAndQueries(statements);
    private int _next;
    private IReadOnlyList<StatementResult>? _group;
    private int _groupStart;
    private int _groupEnd;
    private bool _failed;

    /// <summary>True while statements remain to run.</summary>
    public bool HasMore => !_failed && _next < statements.Count;

    /// <summary>True while a write remains whose result the reader has not reached (it may have run already, in a run of writes).</summary>
    public bool HasMoreWrites
    {
        get
        {
            if (!HasMore || schemaOnly) return false;
            for (int i = _next; i < statements.Count; i++)
            {
                if (statements[i].Statement is PreparedWrite) return true;
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
        var statement = statements[index];
        Last = statement.Statement.Syntax;
        if (schemaOnly) return (new StatementResult(Session.ColumnsOf(statement.Statement), Array.Empty<Core.Model.StemeValue[]>(), -1), statement.Command);
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

    // A static lambda over a value tuple: a keyed read allocates no closure.
    private StatementResult RunOne(BoundStatement statement) =>
        cancellation.Guard((Session: session, Statement: statement, cancellation.Token, MinimumLsn: minimumLsn),
            static s => s.Session.Execute(s.Statement.Statement, s.Statement.Parameters, s.Token, s.MinimumLsn));

    private StatementResult RunAll()
    {
        var all = new (PreparedStatement, ParameterValues)[statements.Count];
        for (int i = 0; i < all.Length; i++) all[i] = (statements[i].Statement, statements[i].Parameters);
        _group = cancellation.Guard(() => session.ExecuteAtomically(all, cancellation.Token, minimumLsn));
        (_groupStart, _groupEnd) = (0, statements.Count);
        return _group[0];
    }

    private StatementResult RunWrites(int start)
    {
        int end = start;
        while (end < statements.Count && statements[end].Statement is PreparedWrite) end++;
        var writes = new WriteRun(statements, start, end);
        _group = cancellation.Guard(() => session.ExecuteWrites(writes, cancellation.Token));
        (_groupStart, _groupEnd) = (start, end);
        return _group[0];
    }
}
