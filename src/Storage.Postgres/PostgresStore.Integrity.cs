using StemeQL.Storage.Abstractions;

namespace StemeQL.Storage.Postgres;

public sealed partial class PostgresStore
{
    /// <inheritdoc />
    /// <remarks>Writes wait while the check runs (it holds the clock lock, so the ledger it folds stands still); reads do not.</remarks>
    public IntegrityReport CheckIntegrity(bool repair, IProgress<IntegrityProgress>? progress, CancellationToken cancellation)
    {
        using var connection = OpenConnection("checking the store");
        return Run("checking the store", () =>
        {
            var problems = new List<IntegrityProblem>();
            using var transaction = connection.BeginTransaction();
            PgClock.Lock(connection, transaction);
            string schema;
            using (var command = PgCommands.Create(connection, transaction, "SELECT current_schema()")) schema = (string)command.ExecuteScalar()!;
            var check = new PgLedgerCheck(connection, transaction, problems.Add, progress, cancellation);
            long assertions = check.Hashes();
            long votes = check.Votes();
            long differing = check.CompareViews(_lenses, schema);
            if (differing > 0)
                problems.Add(new IntegrityProblem(IntegrityKinds.ViewMismatch, null, null,
                    $"{differing} view rows differ from a fold of the ledger" + (repair ? "; the views were rebuilt" : ": repair rebuilds them")));
            bool rebuilt = repair && differing > 0;
            if (rebuilt) check.ReplaceViews(schema);
            long viewRows;
            using (var command = PgCommands.Create(connection, transaction, "SELECT count(*) FROM pg_temp.mv_winner")) viewRows = (long)command.ExecuteScalar()!;
            if (rebuilt) transaction.Commit();
            return new IntegrityReport(problems, assertions, votes, viewRows, 0, rebuilt);
        });
    }
}
