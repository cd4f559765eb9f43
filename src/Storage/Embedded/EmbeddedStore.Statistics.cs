using Microsoft.Data.Sqlite;
using StemeQL.Core.Lenses;
using StemeQL.Core.Model;
using StemeQL.Storage.Abstractions;

namespace StemeQL.Storage.Embedded;

public sealed partial class EmbeddedStore
{
    /// <summary>Below this many assertions the distinct counts are computed on the caller's thread (a few milliseconds at most).</summary>
    internal const long SynchronousDistinctLimit = 50_000;

    // One statement, so one snapshot: the rows past the counted LSN and the newest LSN they reach.
    // Both are rowid ranges, so a store that has not grown answers from two index probes.
    private const string LedgerGrowthSql = """
        SELECT (SELECT count(*) FROM assertions WHERE lsn > $after),
               (SELECT count(*) FROM votes WHERE lsn > $after),
               max(coalesce((SELECT max(lsn) FROM assertions), 0), coalesce((SELECT max(lsn) FROM votes), 0))
        """;

    // The first count: without a WHERE, SQLite counts the smallest index instead of reading the table.
    private const string LedgerTotalSql = """
        SELECT (SELECT count(*) FROM assertions),
               (SELECT count(*) FROM votes),
               max(coalesce((SELECT max(lsn) FROM assertions), 0), coalesce((SELECT max(lsn) FROM votes), 0))
        """;

    // Each distinct count follows an index in its order, so none sorts; all are O(rows) though, hence cached.
    private const string DistinctSql = """
        SELECT (SELECT count(*) FROM mv_set),
               (SELECT count(*) FROM (SELECT DISTINCT subject FROM mv_set)),
               (SELECT count(*) FROM (SELECT DISTINCT predicate FROM mv_set)),
               (SELECT count(*) FROM (SELECT DISTINCT agent FROM assertions)),
               max(coalesce((SELECT max(lsn) FROM assertions), 0), coalesce((SELECT max(lsn) FROM votes), 0))
        """;

    private readonly Lock _statisticsLock = new();
    private LedgerCount _ledgerCount = new(Lsn.None, 0, 0);
    private bool _ledgerCounted;
    private DistinctCounts? _distinct;
    private Task? _distinctRefresh;
    private ReaderConnection? _distinctConnection;

    /// <inheritdoc />
    public StoreStatistics Statistics
    {
        get
        {
            ThrowIfDisposed();
            var ledger = LedgerCounts();
            var distinct = DistinctFor(ledger);
            long sets = distinct?.Sets ?? ledger.Assertions;
            long guess = Math.Max(1, (long)Math.Sqrt(ledger.Assertions));
            return new StoreStatistics(ledger.Assertions, ledger.Votes, ledger.Lsn, sets,
                distinct?.Subjects ?? ledger.Assertions, distinct?.Predicates ?? guess, distinct?.Agents ?? guess,
                distinct?.AtLsn ?? Lsn.None,
                _lenses.ToDictionary(name => name, _ => sets, StringComparer.Ordinal));
        }
    }

    /// <summary>The exact ledger counts, brought up to date by counting only the rows added since the last call.</summary>
    private LedgerCount LedgerCounts()
    {
        lock (_statisticsLock)
        {
            // Rows reach the ledger in LSN order and never past the durable LSN: once the count has reached
            // it, nothing new can be counted until it moves, and the planner's call (every uncached plan)
            // costs no statement.
            if (_ledgerCounted && _writePath is { } writer && writer.LastLsn == _ledgerCount.Lsn) return _ledgerCount;
            var connection = TakeReader("counting the ledger");
            bool healthy = false;
            try
            {
                bool first = _ledgerCount.Lsn == Lsn.None;
                var command = connection.Fixed(first ? LedgerTotalSql : LedgerGrowthSql);
                if (!first && command.Parameters.Count == 0) command.Parameters.Add(new SqliteParameter("$after", 0L));
                if (!first) command.Parameters[0].Value = _ledgerCount.Lsn;
                using (var reader = command.ExecuteReader())
                {
                    reader.Read();
                    long lsn = reader.GetInt64(2);
                    if (lsn > _ledgerCount.Lsn)
                    {
                        _ledgerCount = new LedgerCount(lsn, _ledgerCount.Assertions + reader.GetInt64(0), _ledgerCount.Votes + reader.GetInt64(1));
                    }
                }
                healthy = _ledgerCounted = true;
                return _ledgerCount;
            }
            catch (SqliteException error)
            {
                throw Translate(error, "counting the ledger");
            }
            finally
            {
                Release(connection, healthy);
            }
        }
    }

    /// <summary>
    /// The distinct counts, recomputed when the ledger has grown by a tenth since they were: at once on a
    /// small store, in the background on a large one (the old counts, or guesses, serve meanwhile).
    /// </summary>
    private DistinctCounts? DistinctFor(LedgerCount ledger)
    {
        lock (_statisticsLock)
        {
            var current = _distinct;
            bool stale = current is null
                || (ledger.Assertions != current.Assertions && ledger.Assertions >= current.Assertions + Math.Max(1, current.Assertions / 10));
            if (!stale) return current;
            if (ledger.Assertions < SynchronousDistinctLimit)
            {
                var connection = TakeReader("computing statistics");
                bool healthy = false;
                try
                {
                    _distinct = ComputeDistinct(connection, ledger.Assertions);
                    healthy = true;
                    return _distinct;
                }
                finally
                {
                    Release(connection, healthy);
                }
            }
            if (_distinctRefresh is null || _distinctRefresh.IsCompleted)
            {
                var connection = _distinctConnection = TakeReader("computing statistics");
                _distinctRefresh = Task.Run(() => RefreshDistinct(connection, ledger.Assertions));
            }
            return current;
        }
    }

    private void RefreshDistinct(ReaderConnection connection, long assertions)
    {
        bool healthy = false;
        try
        {
            var counts = ComputeDistinct(connection, assertions);
            lock (_statisticsLock) _distinct = counts;
            healthy = true;
        }
        catch (Exception error) when (error is StemeException or SqliteException or ObjectDisposedException)
        {
            // Statistics are advice: a failed refresh keeps the old counts and the next read tries again.
        }
        finally
        {
            lock (_statisticsLock) _distinctConnection = null;
            Release(connection, healthy);
        }
    }

    private DistinctCounts ComputeDistinct(ReaderConnection connection, long assertions)
    {
        try
        {
            using var reader = connection.Fixed(DistinctSql).ExecuteReader();
            reader.Read();
            return new DistinctCounts(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), assertions, reader.GetInt64(4));
        }
        catch (SqliteException error)
        {
            throw Translate(error, "computing statistics");
        }
    }

    /// <summary>Stops a background statistics refresh (it is interrupted, not waited for to the end).</summary>
    private void StopStatistics()
    {
        Task? refresh;
        lock (_statisticsLock)
        {
            refresh = _distinctRefresh;
            if (_distinctConnection?.Connection.Handle is { } handle) SQLitePCL.raw.sqlite3_interrupt(handle);
        }
        refresh?.Wait(TimeSpan.FromSeconds(10));
    }

    private sealed record LedgerCount(long Lsn, long Assertions, long Votes);

    private sealed record DistinctCounts(long Sets, long Subjects, long Predicates, long Agents, long Assertions, long AtLsn);
}
