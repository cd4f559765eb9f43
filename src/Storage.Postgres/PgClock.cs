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
    /// <summary>Locks the clock for the transaction; returns the last LSN and write time (UTC ticks).</summary>
    public static (long LastLsn, long LastTicks) Lock(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        using var command = Create(connection, transaction, "SELECT last_lsn, last_ticks FROM stemeql_clock WHERE id = 1 FOR UPDATE");
        using var reader = command.ExecuteReader();
        if (!reader.Read()) throw new StemeException(StemeErrorCode.IntegrityError, "The store's clock row is missing: restore the database from a backup.");
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>Moves the clock to the write's last LSN and time, and counts its assertions and votes (in the same transaction).</summary>
    public static void Advance(NpgsqlConnection connection, NpgsqlTransaction transaction, long lastLsn, long ticks, long assertions, long votes)
    {
        using var command = Create(connection, transaction,
            "UPDATE stemeql_clock SET last_lsn = $1, last_ticks = $2, assertion_count = assertion_count + $3, vote_count = vote_count + $4 WHERE id = 1",
            Long(lastLsn), Long(ticks), Long(assertions), Long(votes));
        command.ExecuteNonQuery();
    }
}
