namespace StemeQL.Linq;

/// <summary>The one row of <c>stemeql_status</c>: how far the write path has got (see docs/storage.md).</summary>
/// <param name="DurableLsn">Newest acknowledged (durable) LSN.</param>
/// <param name="IngestedLsn">Newest LSN in the ledger tables.</param>
/// <param name="MaterializedLsn">Newest LSN folded into the materialized views.</param>
/// <param name="LagLsns"><see cref="DurableLsn"/> minus <see cref="MaterializedLsn"/>.</param>
/// <param name="LagMs">How long the oldest durable write not yet materialized has waited, in milliseconds.</param>
/// <param name="JournalSegments">Journal segment files on disk.</param>
/// <param name="JournalBytes">Their total size.</param>
/// <param name="ReadOnly">True on a read-only connection.</param>
/// <param name="Failure">Why the store stopped accepting writes, or null.</param>
public sealed record StatusRow(long DurableLsn, long IngestedLsn, long MaterializedLsn, long LagLsns, double LagMs,
    long JournalSegments, long JournalBytes, bool ReadOnly, string? Failure);
