using Npgsql;
using static StemeQL.Storage.Postgres.PgCommands;

namespace StemeQL.Storage.Postgres;

/// <summary>
/// The store's clock row: the last LSN given, the last write time and the ledger's counts. Every write locks it first
/// (<c>SELECT ... FOR UPDATE</c>), which serializes writers across processes: each sees every write
/// committed before it (READ COMMITTED takes a fresh snapshot per statement after the lock), takes the
/// next LSNs, and commits before the next writer gets the lock, so LSNs commit in order with no gaps.
/// </summary>
internal static class PgClock
{
    private const string LockSql = "SELECT last_lsn, last_ticks FROM stemeql_clock WHERE id = 1 FOR UPDATE";

    // The same lock that also sets the plan settings for the rest of the transaction: one statement fewer for a write.
    private const string LockWithPlansSql = "SELECT last_lsn, last_ticks, " + PgKeyLookupPlans.Settings + " FROM stemeql_clock WHERE id = 1 FOR UPDATE";

    private const string AdvanceSql =
        "UPDATE stemeql_clock SET last_lsn = $1, last_ticks = $2, assertion_count = assertion_count + $3, vote_count = vote_count + $4 WHERE id = 1";

    /// <summary>Locks the clock for the transaction; returns the last LSN and write time (UTC ticks).</summary>
    public static (long LastLsn, long LastTicks) Lock(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        var batch = new PgBatch(connection, transaction);
        var clock = Lock(batch);
        batch.Execute();
        return (clock.LastLsn, clock.LastTicks);
    }

    /// <summary>
    /// Adds the lock to <paramref name="batch"/> (first, so the statements after it run under the lock); read the result after
    /// the batch ran. With <paramref name="lookupPlans"/>, the same statement sets <see cref="PgKeyLookupPlans"/>'s settings.
    /// </summary>
    public static Reading Lock(PgBatch batch, bool lookupPlans = false)
    {
        var clock = new Reading();
        batch.Add(lookupPlans ? LockWithPlansSql : LockSql, reader => clock.Found(reader.GetInt64(0), reader.GetInt64(1)));
        return clock;
    }

    /// <summary>Moves the clock to the write's last LSN and time, and counts its assertions and votes (in the same transaction).</summary>
    public static void Advance(PgBatch batch, long lastLsn, long ticks, long assertions, long votes) =>
        batch.Add(AdvanceSql, null, Long(lastLsn), Long(ticks), Long(assertions), Long(votes));

    /// <summary>The clock row as a batch read it.</summary>
    internal sealed class Reading
    {
        private bool _found;
        private long _lastLsn;

        public long LastLsn => _found ? _lastLsn
            : throw new StemeException(StemeErrorCode.IntegrityError, "The store's clock row is missing: restore the database from a backup.");

        public long LastTicks { get; private set; }

        public void Found(long lastLsn, long lastTicks)
        {
            _found = true;
            _lastLsn = lastLsn;
            LastTicks = lastTicks;
        }
    }
}
