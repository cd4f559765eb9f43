using StemeQL.Planner.Binding;
using StemeQL.Planner.Execution;

namespace StemeQL.Internal;

/// <summary>
/// Runs the bound statements of a command or batch in order, one per call to <see cref="RunNext"/>.
/// A run of consecutive ASSERT / VOTE statements goes to the store as one atomic write (one journal
/// append) when the first of them is reached; a SELECT or EXPLAIN between writes ends the run, so it
/// sees the writes before it. After a failure nothing more runs: a failed write run wrote nothing,
/// and later statements were written expecting it.
/// </summary>
internal sealed class StatementRunner(Session session, IReadOnlyList<BoundStatement> statements, CommandCancellation cancellation, long minimumLsn = 0)
{
    private int _next;
    private IReadOnlyList<StatementResult>? _group;
    private int _groupStart;
    private int _groupEnd;
    private bool _failed;

    /// <summary>True while statements remain to run.</summary>
    public bool HasMore => !_failed && _next < statements.Count;

    /// <summary>Runs (or takes from the current write run) the next statement's result.</summary>
    public (StatementResult Result, int Command) RunNext()
    {
        if (!HasMore) throw new InvalidOperationException("No statements remain.");
        int index = _next++;
        var statement = statements[index];
        try
        {
            if (_group is not null && index < _groupEnd)
                return (_group[index - _groupStart], statement.Command);
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

    // Its own method: a lambda in RunNext would allocate its closure on every call, writes included.
    private StatementResult RunOne(BoundStatement statement) =>
        cancellation.Guard(() => session.Execute(statement.Statement, statement.Parameters, cancellation.Token, minimumLsn));

    private StatementResult RunWrites(int start)
    {
        int end = start;
        var writes = new List<(PreparedWrite Statement, ParameterValues Parameters)>(statements.Count - start);
        while (end < statements.Count && statements[end].Statement is PreparedWrite write)
        {
            writes.Add((write, statements[end].Parameters));
            end++;
        }
        _group = cancellation.Guard(() => session.ExecuteWrites(writes, cancellation.Token));
        (_groupStart, _groupEnd) = (start, end);
        return _group[0];
    }
}
