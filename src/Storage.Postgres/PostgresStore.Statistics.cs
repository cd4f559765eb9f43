using StemeQL.Core.Model;
using StemeQL.Storage.Abstractions;

namespace StemeQL.Storage.Postgres;

public sealed partial class PostgresStore
{
    // Below this many assertions the distinct counts are recomputed at once; above, in the background.
    private const long SynchronousDistinctLimit = 50_000;

    private const string LedgerSql = "SELECT last_lsn, assertion_count, vote_count FROM stemeql_clock WHERE id = 1";

    // Each is O(rows), hence cached; one statement, so one snapshot.
    private const string DistinctSql = """
        SELECT (SELECT count(*) FROM mv_set), (SELECT count(DISTINCT subject) FROM mv_set), (SELECT count(DISTINCT predicate) FROM mv_set),
               (SELECT count(DISTINCT agent) FROM assertions), (SELECT last_lsn FROM stemeql_clock WHERE id = 1)
        """;

    private readonly Lock _statisticsLock = new();
    private DistinctCounts? _distinct;
    private Task? _distinctRefresh;

    /// <inheritdoc />
    /// <remarks>
    /// The ledger counts are exact (the clock row keeps them); the distinct counts are recomputed when the
    /// ledger has grown by a tenth since they were: at once on a small store, in the background on a large one.
    /// </remarks>
    public StoreStatistics Statistics
    {
        get
        {
            using var connection = OpenConnection("reading statistics");
            var (lsn, assertions, votes) = Run("reading statistics", () =>
            {
                using var command = PgCommands.Create(connection, null, LedgerSql);
                using var reader = command.ExecuteReader();
                reader.Read();
                return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
            });
            var distinct = DistinctFor(assertions);
            long sets = distinct?.Sets ?? assertions;
            long guess = Math.Max(1, (long)Math.Sqrt(assertions));
            return new StoreStatistics(assertions, votes, lsn, sets, distinct?.Subjects ?? assertions, distinct?.Predicates ?? guess,
                distinct?.Agents ?? guess, distinct?.AtLsn ?? Lsn.None, _lensNames.ToDictionary(name => name, _ => sets, StringComparer.Ordinal));
        }
    }

    private DistinctCounts? DistinctFor(long assertions)
    {
        lock (_statisticsLock)
        {
            var current = _distinct;
            bool stale = current is null
                || (assertions != current.Assertions && assertions >= current.Assertions + Math.Max(1, current.Assertions / 10));
            if (!stale) return current;
            if (assertions < SynchronousDistinctLimit) return _distinct = ComputeDistinct(assertions);
            if (_distinctRefresh is null || _distinctRefresh.IsCompleted) _distinctRefresh = Task.Run(() => RefreshDistinct(assertions));
            return current;
        }
    }

    private void RefreshDistinct(long assertions)
    {
        try
        {
            var counts = ComputeDistinct(assertions);
            lock (_statisticsLock) _distinct = counts;
        }
        catch (Exception error) when (error is StemeException or ObjectDisposedException)
        {
            // Statistics are advice: a failed refresh keeps the old counts and the next read tries again.
        }
    }

    private DistinctCounts ComputeDistinct(long assertions)
    {
        using var connection = OpenConnection("computing statistics");
        return Run("computing statistics", () =>
        {
            using var command = PgCommands.Create(connection, null, DistinctSql);
            using var reader = command.ExecuteReader();
            reader.Read();
            return new DistinctCounts(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), assertions, reader.GetInt64(4));
        });
    }

    private sealed record DistinctCounts(long Sets, long Subjects, long Predicates, long Agents, long Assertions, long AtLsn);
}
