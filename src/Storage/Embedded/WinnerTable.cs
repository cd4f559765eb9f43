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

    /// <summary>Rows rewritten per multi-row statement: a batch touches many sets, and a statement per row cost more than its seeks.</summary>
    public const int RowsPerStatement = MultiRowInsert.RowsPerStatement;

    private const string Columns =
        "lens, subject, predicate, lsn, hash, object_type, object, epoch, agent, confidence, lineage, asserted_at, support_units, total_units, candidates";

    /// <summary>
    /// The longest object (in bytes, or characters of text) a row copies: a longer one (up to 64 KiB inline) is left
    /// NULL and read from the ledger by the winner's LSN (<see cref="ObjectColumn"/>), one seek more for those rows,
    /// rather than stored once more per lens.
    /// </summary>
    public static readonly int MaxCopiedObject = int.Parse(CopyLimit, System.Globalization.CultureInfo.InvariantCulture);

    private const string CopyLimit = "1024";

    /// <summary>The winner's object in a read of the table aliased <c>a</c>: the copy, or the ledger's when none was made.</summary>
    public const string ObjectColumn = "coalesce(a.object, (SELECT o.object FROM assertions o WHERE o.lsn = a.lsn))";

    // The view row as the fold's tables give it, from lens_state l (whose key is the row's key). IS, not =: an
    // empty byte string may be stored as NULL, on both sides alike.
    private const string Select = $"""
        SELECT l.lens, l.subject, l.predicate, a.lsn, a.hash, a.object_type, CASE WHEN length(a.object) > {CopyLimit} THEN NULL ELSE a.object END,
            a.epoch, a.agent, a.confidence, a.lineage, a.asserted_at, mv.support_units, s.total_units, s.candidates
        """;

    private const string Joins = """
        JOIN mv_set s ON s.subject = l.subject AND s.predicate = l.predicate
        JOIN assertions a ON a.lsn = l.winner_lsn
        JOIN mv_value mv ON mv.subject = l.subject AND mv.predicate = l.predicate AND mv.object_type = a.object_type AND mv.object IS a.object
        """;

    private const string Upsert = """
        ON CONFLICT(lens, subject, predicate) DO UPDATE SET lsn = excluded.lsn, hash = excluded.hash, object_type = excluded.object_type,
            object = excluded.object, epoch = excluded.epoch, agent = excluded.agent, confidence = excluded.confidence, lineage = excluded.lineage,
            asserted_at = excluded.asserted_at, support_units = excluded.support_units, total_units = excluded.total_units, candidates = excluded.candidates
        """;

    /// <summary>Every view row as the fold's tables give it, in the table's column order (what the table must hold).</summary>
    public const string JoinSql = $"{Select} FROM lens_state l {Joins}";

    /// <summary>Fills the table from the fold's tables (the migration from version 3: every lens, every set).</summary>
    public const string FillSql = $"INSERT INTO mv_winner({Columns}) {JoinSql}";

    // OR FAIL: an INSERT … SELECT may write several rows, and with the default (ABORT) SQLite keeps a statement
    // journal to undo one; a failure rolls back the fold's whole transaction anyway (see MultiRowInsert).
    /// <summary>Rewrites the row of one (lens, set) from the fold's tables; exposed so tests can check its query plan.</summary>
    public const string RefreshSql = $"""
        INSERT OR FAIL INTO mv_winner({Columns}) {Select} FROM lens_state l {Joins}
        WHERE l.lens = $lens AND l.subject = $subject AND l.predicate = $predicate {Upsert}
        """;

    /// <summary>Rewrites the rows of <see cref="RowsPerStatement"/> (lens, set) keys (the keys in a constant table, then the same seeks).</summary>
    public static readonly string RefreshRowsSql = $"""
        INSERT OR FAIL INTO mv_winner({Columns}) {Select}
        FROM (VALUES {string.Join(", ", Enumerable.Range(0, RowsPerStatement).Select(i => $"($lens{i}, $subject{i}, $predicate{i})"))}) k
        CROSS JOIN lens_state l ON l.lens = k.column1 AND l.subject = k.column2 AND l.predicate = k.column3 {Joins}
        WHERE true {Upsert}
        """;

    /// <summary>Drops the rows of one lens (a lens no longer materialized, or one about to be built again).</summary>
    public const string DeleteLensSql = "DELETE FROM mv_winner WHERE lens = $lens";

    private static readonly string[] KeyColumns = ["lens", "subject", "predicate"];

    private static readonly string[] RowColumns = Columns.Split(", ");

    /// <summary>Writes one whole row whose values the caller holds (a set the batch created: see <see cref="NewSetRows"/>).</summary>
    public static readonly string WriteSql = MultiRowInsert.Sql("mv_winner", RowColumns, 1, Upsert);

    /// <summary>Writes <see cref="RowsPerStatement"/> whole rows (exposed so tests can check its plan).</summary>
    public static readonly string WriteRowsSql = MultiRowInsert.Sql("mv_winner", RowColumns, RowsPerStatement, Upsert);

    // The keys to refresh, RowsPerStatement per statement.
    private readonly MultiRowInsert _refreshes;
    // Whole rows to write, RowsPerStatement per statement.
    private readonly MultiRowInsert _rows;

    /// <summary>Prepares the refreshes on the writer's (or the check's) connection.</summary>
    public WinnerTable(SqliteConnection connection)
    {
        _refreshes = new MultiRowInsert(KeyColumns.Length,
            new PreparedSql(connection, RefreshSql, KeyColumns),
            new PreparedSql(connection, RefreshRowsSql, MultiRowInsert.ParameterNames(KeyColumns, RowsPerStatement)));
        _rows = new MultiRowInsert(connection, "mv_winner", RowColumns, Upsert);
    }

    /// <summary>The number of values in a whole row (<see cref="Write"/>).</summary>
    public static int RowLength => RowColumns.Length;

    /// <summary>
    /// The object column a row holds for a winner whose stored object is <paramref name="stored"/>, as
    /// <see cref="JoinSql"/> copies it (NULL past <see cref="MaxCopiedObject"/>); false for text longer than that
    /// in UTF-16 units, whose length as SQLite counts it (characters up to a NUL) only SQLite can tell.
    /// </summary>
    public static bool TryCopyObject(object stored, out object? copied)
    {
        copied = stored;
        switch (stored)
        {
            case string text: return text.Length <= MaxCopiedObject;
            case byte[] bytes:
                if (bytes.Length > MaxCopiedObject) copied = null;
                return true;
            case long or double: return true; // their text is far shorter than the limit
            default: return false;
        }
    }

    /// <summary>Writes a whole row (buffered until <see cref="FlushRows"/>).</summary>
    public void Write(ReadOnlySpan<object?> row) => _rows.Add(row);

    /// <summary>Writes the buffered whole rows.</summary>
    public void FlushRows() => _rows.Flush();

    /// <summary>Drops the buffered whole rows (their transaction rolls back).</summary>
    public void Discard() => _rows.Discard();

    /// <summary>Rewrites the view row of each distinct (lens, set) (none where the lens has no state for the set).</summary>
    public void Refresh(IEnumerable<(string Lens, SetKey Set)> rows)
    {
        foreach (var (lens, set) in rows) _refreshes.Add([lens, set.Subject, set.Predicate]);
        _refreshes.Flush();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _refreshes.Dispose();
        _rows.Dispose();
    }
}
