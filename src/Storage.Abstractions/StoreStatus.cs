namespace StemeQL.Storage.Abstractions;

/// <summary>
/// How far the write path has got, in terms every backend has: every LSN up to <see cref="DurableLsn"/>
/// is durable and acknowledged; up to <see cref="IngestedLsn"/> it is in the ledger; up to
/// <see cref="MaterializedLsn"/> it is folded into the materialized views. (The embedded store acknowledges
/// from its journal and ingests later; a backend that writes the ledger in the write itself reports
/// the same LSN for both.) The <c>stemeql_status</c> columns keep their names: see the Planner's rows.
/// </summary>
/// <param name="DurableLsn">The newest acknowledged (durable) LSN.</param>
/// <param name="IngestedLsn">The newest LSN written into the ledger.</param>
/// <param name="MaterializedLsn">The newest LSN folded into the views.</param>
/// <param name="LagMilliseconds">How long the oldest durable write not yet materialized has waited; 0 when caught up.</param>
/// <param name="LogFiles">Files of a log the store keeps beside its database (the embedded journal's segments); 0 when the database is the log.</param>
/// <param name="LogBytes">Their total size.</param>
/// <param name="ReadOnly">True when this store only reads (another process writes the folder).</param>
/// <param name="Failure">Why the store stopped accepting writes, or null while it is healthy.</param>
/// <param name="Recovered">What recovery cut, skipped or salvaged in the journal when the store opened, or null.</param>
public sealed record StoreStatus(
    long DurableLsn,
    long IngestedLsn,
    long MaterializedLsn,
    double LagMilliseconds,
    int LogFiles,
    long LogBytes,
    bool ReadOnly,
    string? Failure,
    string? Recovered = null)
{
    /// <summary>LSNs acknowledged but not yet visible in the views.</summary>
    public long LagLsns => Math.Max(0, DurableLsn - MaterializedLsn);
}
