using StemeQL.Core.Model;
using StemeQL.Planner.Binding;
using StemeQL.Planner.Plans;
using StemeQL.Planner.Syntax;
using StemeQL.Storage.Abstractions;

namespace StemeQL.Planner.Execution;

public sealed partial class Session
{
    /// <summary>
    /// Runs the statements of one command or batch that mixes writes with reads as one implicit
    /// transaction: every query is run to its last row now, every write is checked and buffered, and
    /// only when all of them have succeeded are the writes applied, as one atomic store write. If any
    /// statement fails, nothing is written. A query sees the writes before it in the command, read
    /// through a <see cref="PendingOverlay"/> (with the LSNs they will get if no other connection
    /// writes first). Returns one result per statement, in order, with every row in memory and the
    /// writes' real LSNs.
    /// </summary>
    /// <param name="statements">The statements and their parameter values, in order.</param>
    /// <param name="cancellation">Cancels the statements, and the storing of the writes' large values.</param>
    /// <param name="minimumLsn">A visibility token: a query first waits until the views include this LSN (0: none).</param>
    /// <param name="clock">The command's timeout clock, stopped while the writes' large values are stored (null: none).</param>
    /// <exception cref="InvalidOperationException">A transaction is in progress (its statements run one by one).</exception>
    public IReadOnlyList<StatementResult> ExecuteAtomically(
        IReadOnlyList<(PreparedStatement Statement, ParameterValues Parameters)> statements, CancellationToken cancellation, long minimumLsn = 0,
        ICommandClock? clock = null)
    {
        if (_transaction is not null) throw new InvalidOperationException("A transaction is in progress: run the statements in it one by one.");
        // The buffer checks each write's votes and lineage against the store and the earlier writes,
        // as an explicit transaction does, so a bad hash fails before anything is applied.
        var buffer = new PendingTransaction(Store);
        var operations = new List<WriteOperation>();
        var results = new StatementResult?[statements.Count];
        var writes = new List<(int Index, int Start, int Count, bool IsVote)>();
        for (int i = 0; i < statements.Count; i++)
        {
            cancellation.ThrowIfCancellationRequested();
            var (statement, parameters) = statements[i];
            if (statement is PreparedWrite write)
            {
                var own = new List<WriteOperation>();
                BuildOperations(write, parameters, own);
                buffer.Add(own);
                writes.Add((i, operations.Count, own.Count, write.Syntax is VoteStatement));
                operations.AddRange(own);
                continue;
            }
            var result = operations.Count == 0
                ? Execute(statement, parameters, cancellation, minimumLsn)
                : ExecuteOver(new PendingOverlay(Store, operations), statement, parameters, cancellation, minimumLsn);
            results[i] = result with { Rows = Materialize(result.Rows, cancellation) };
        }
        cancellation.ThrowIfCancellationRequested();
        IReadOnlyList<WriteOutcome> outcomes = operations.Count > 0 ? Track(Store.Write(Spill(operations, cancellation, clock), cancellation)) : [];
        foreach (var (index, start, count, isVote) in writes)
            results[index] = Result(isVote, new WriteResultRows(operations, outcomes, start, count));
        return results!;
    }

    // A query after some of the command's writes reads through them (see PendingOverlay).
    private StatementResult ExecuteOver(PendingOverlay overlay, PreparedStatement statement, ParameterValues parameters, CancellationToken cancellation, long minimumLsn) =>
        statement is PreparedQuery or PreparedExplain
            ? Read(overlay, statement, parameters, cancellation, minimumLsn)
            : Execute(statement, parameters, cancellation, minimumLsn);

    private static List<StemeValue[]> Materialize(IEnumerable<StemeValue[]> rows, CancellationToken cancellation)
    {
        var list = new List<StemeValue[]>();
        foreach (var row in rows)
        {
            cancellation.ThrowIfCancellationRequested();
            list.Add(row);
        }
        return list;
    }
}
