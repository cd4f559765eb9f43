using Microsoft.Data.Sqlite;
using StemeQL.Core.Lenses;

namespace StemeQL.Storage.Embedded;

/// <summary>
/// <c>mv_winner</c>: each lens's view row of each set, denormalized (the winner's assertion columns, its value's
/// support, the set's total and candidates), so that a view lookup by (subject, predicate) is one seek in one
/// table instead of a join of three. It decides nothing: each row is the join of <c>lens_state</c>,
/// <c>mv_set</c>, <c>assertions</c> and <c>mv_value</c> for its set, rewritten by <see cref="LensStateTable"/> in
/// the fold's transaction, once per batch, for every (lens, set) the batch touched, after the fold's own rows.
/// Its assertion columns carry the ledger's names, so reads alias it as the assertion (<c>a</c>) they denormalize.
/// Unqualified table names, so a connection with TEMP shadow tables (the integrity check) refreshes those.
/// </summary>
internal sealed class WinnerTable : IDisposable
{
    /// <summary>The table (also created by the migration from version 3).</summary>
    public const string CreateSql = """
        CREATE TABLE mv_winner(
            lens TEXT NOT NULL,
            subject TEXT NOT NULL,
            predicate TEXT NOT NULL,
            lsn INTEGER NOT NULL,
            hash BLOB NOT NULL,
            object_type INTEGER NOT NULL,
            object,
            epoch TEXT NOT NULL,
            agent TEXT NOT NULL,
            confidence REAL NOT NULL,
            lineage BLOB,
            asserted_at INTEGER NOT NULL,
            support_units INTEGER NOT NULL,
            total_units INTEGER NOT NULL,
            candidates INTEGER NOT NULL,
            PRIMARY KEY(lens, subject, predicate)) WITHOUT ROWID
        """;

    /// <summary>View reads by predicate, and counts grouped by predicate, in key order.</summary>
    public const string PredicateIndexSql = "CREATE INDEX mv_winner_predicate ON mv_winner(lens, predicate)";

    private const string Columns =
        "lens, subject, predicate, lsn, hash, object_type, object, epoch, agent, confidence, lineage, asserted_at, support_units, total_units, candidates";

    // The view row as the fold's tables give it; lens_state drives (its key is the row's key). IS, not =: an
    // empty byte string may be stored as NULL, on both sides alike.
    private const string Join = """
        SELECT l.lens, l.subject, l.predicate, a.lsn, a.hash, a.object_type, a.object, a.epoch, a.agent, a.confidence, a.lineage, a.asserted_at,
            mv.support_units, s.total_units, s.candidates
        FROM lens_state l
        JOIN mv_set s ON s.subject = l.subject AND s.predicate = l.predicate
        JOIN assertions a ON a.lsn = l.winner_lsn
        JOIN mv_value mv ON mv.subject = l.subject AND mv.predicate = l.predicate AND mv.object_type = a.object_type AND mv.object IS a.object
        """;

    /// <summary>Fills the table from the fold's tables (the migration from version 3: every lens, every set).</summary>
    public const string FillSql = $"INSERT INTO mv_winner({Columns}) {Join}";

    /// <summary>Rewrites the row of one (lens, set) from the fold's tables; exposed so tests can check its query plan.</summary>
    public const string RefreshSql = $"""
        INSERT INTO mv_winner({Columns}) {Join}
        WHERE l.lens = $lens AND l.subject = $subject AND l.predicate = $predicate
        ON CONFLICT(lens, subject, predicate) DO UPDATE SET lsn = excluded.lsn, hash = excluded.hash, object_type = excluded.object_type,
            object = excluded.object, epoch = excluded.epoch, agent = excluded.agent, confidence = excluded.confidence, lineage = excluded.lineage,
            asserted_at = excluded.asserted_at, support_units = excluded.support_units, total_units = excluded.total_units, candidates = excluded.candidates
        """;

    /// <summary>Drops the rows of one lens (a lens no longer materialized, or one about to be built again).</summary>
    public const string DeleteLensSql = "DELETE FROM mv_winner WHERE lens = $lens";

    private readonly PreparedSql _refresh;

    /// <summary>Prepares the refresh on the writer's (or the check's) connection.</summary>
    public WinnerTable(SqliteConnection connection) => _refresh = new PreparedSql(connection, RefreshSql, "lens", "subject", "predicate");

    /// <summary>Rewrites the view row of <paramref name="lens"/> for <paramref name="set"/> (none while the lens has no state for it).</summary>
    public void Refresh(string lens, SetKey set) => _refresh.Execute(lens, set.Subject, set.Predicate);

    /// <inheritdoc />
    public void Dispose() => _refresh.Dispose();
}
