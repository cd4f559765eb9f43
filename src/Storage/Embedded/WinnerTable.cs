using Microsoft.Data.Sqlite;
using StemeQL.Core.Lenses;

namespace StemeQL.Storage.Embedded;

/// <summary>
/// <c>mv_winner</c>: one row per (lens, set) holding both the lens's state (the winner's LSN as <c>lsn</c>, and the
/// lens's own <c>tally</c> and <c>data</c>) and its view row, denormalized (the winner's assertion columns, its value's
/// support, the set's total and candidates), so that a view lookup by (subject, predicate) is one seek in one table and
/// a state write and its view row are one row write. The view columns decide nothing: they are the join of the row's
/// state with <c>mv_set</c>, <c>assertions</c> and <c>mv_value</c>, rewritten by <see cref="LensStateTable"/> in the
/// fold's transaction, once per batch, for every (lens, set) the batch touched, after the fold's own rows.
/// Its assertion columns carry the ledger's names, so reads alias it as the assertion (<c>a</c>) they denormalize.
/// Unqualified table names, so a connection with TEMP shadow tables (the integrity check) refreshes those.
/// </summary>
internal sealed class WinnerTable : IDisposable
{
    /// <summary>The table (also created by the migration from version 5).</summary>
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
            tally INTEGER NOT NULL,
            data BLOB,
            PRIMARY KEY(lens, subject, predicate)) WITHOUT ROWID
        """;

    /// <summary>Rows rewritten per multi-row statement: a batch touches many sets, and a statement per row cost more than its seeks.</summary>
    public const int RowsPerStatement = MultiRowInsert.RowsPerStatement;

    private const string Columns =
        "lens, subject, predicate, lsn, hash, object_type, object, epoch, agent, confidence, lineage, asserted_at, support_units, total_units, candidates, tally, data";

    /// <summary>
    /// The longest object (in bytes, or characters of text) a row copies: a longer one (up to 64 KiB inline) is left
    /// NULL and read from the ledger by the winner's LSN (<see cref="ObjectColumn"/>), one seek more for those rows,
    /// rather than stored once more per lens.
    /// </summary>
    public static readonly int MaxCopiedObject = int.Parse(CopyLimit, System.Globalization.CultureInfo.InvariantCulture);

    private const string CopyLimit = "1024";

    /// <summary>The winner's object in a read of the table aliased <c>a</c>: the copy, or the ledger's when none was made.</summary>
    public const string ObjectColumn = "coalesce(a.object, (SELECT o.object FROM assertions o WHERE o.lsn = a.lsn))";

    // The rows of the states in `from` (a table or subquery aliased l, or the constant table k), whose columns are given as
    // SQL expressions for the key, winner LSN, tally and data: the view columns come from the winner's assertion (a), its
    // value (mv) and its set (s), joined in that order (`join` is CROSS JOIN to fix it after a constant table). IS, not =:
    // an empty byte string may be stored as NULL, on both sides alike.
    private static string RowOf(string from, string join, string lens, string subject, string predicate, string winnerLsn, string tally, string data) => $"""
        SELECT {lens}, {subject}, {predicate}, a.lsn, a.hash, a.object_type, CASE WHEN length(a.object) > {CopyLimit} THEN NULL ELSE a.object END,
            a.epoch, a.agent, a.confidence, a.lineage, a.asserted_at, mv.support_units, s.total_units, s.candidates, {tally}, {data}
        FROM {from}
        {join} assertions a ON a.lsn = {winnerLsn}
        JOIN mv_set s ON s.subject = {subject} AND s.predicate = {predicate}
        JOIN mv_value mv ON mv.subject = {subject} AND mv.predicate = {predicate} AND mv.object_type = a.object_type AND mv.object IS a.object
        """;

    /// <summary>
    /// Every row as the states in <paramref name="states"/> (a table or subquery of lens, subject, predicate, winner_lsn,
    /// tally, data) and the fold's tables give it, in the table's column order.
    /// </summary>
    public static string RowsFrom(string states) =>
        RowOf(states + " l", "JOIN", "l.lens", "l.subject", "l.predicate", "l.winner_lsn", "l.tally", "l.data");

    /// <summary>Every row as its own state and the fold's tables give it (what the table must hold).</summary>
    public static readonly string JoinSql = RowsFrom("(SELECT lens, subject, predicate, lsn AS winner_lsn, tally, data FROM mv_winner)");

    private const string Upsert = """
        ON CONFLICT(lens, subject, predicate) DO UPDATE SET lsn = excluded.lsn, hash = excluded.hash, object_type = excluded.object_type,
            object = excluded.object, epoch = excluded.epoch, agent = excluded.agent, confidence = excluded.confidence, lineage = excluded.lineage,
            asserted_at = excluded.asserted_at, support_units = excluded.support_units, total_units = excluded.total_units, candidates = excluded.candidates,
            tally = excluded.tally, data = excluded.data
        """;

    private static readonly string[] StateColumns = ["lens", "subject", "predicate", "lsn", "tally", "data"];

    // OR FAIL: an INSERT … SELECT may write several rows, and with the default (ABORT) SQLite keeps a statement
    // journal to undo one; a failure rolls back the fold's whole transaction anyway (see MultiRowInsert).
    // The states in a constant table (column1… in StateColumns' order), then a seek each into the fold's tables.
    private static string StoreStatesSql(int rows) => $"""
        INSERT OR FAIL INTO mv_winner({Columns})
        {RowOf($"(VALUES {MultiRowInsert.Values(StateColumns, rows)}) k", "CROSS JOIN", "k.column1", "k.column2", "k.column3", "k.column4", "k.column5", "k.column6")}
        WHERE true {Upsert}
        """;

    /// <summary>Stores one state with its view row from the fold's tables; exposed so tests can check its query plan.</summary>
    public static readonly string StoreStateSql = StoreStatesSql(1);

    /// <summary>Stores <see cref="RowsPerStatement"/> states with their view rows (exposed so tests can check its plan).</summary>
    public static readonly string StoreStateRowsSql = StoreStatesSql(RowsPerStatement);

    private static readonly string[] KeyColumns = ["lens", "subject", "predicate"];

    // A row whose state stays: only its winner's support and its set's totals can have moved (the assertion columns
    // follow the winner's LSN, which did not).
    private static string RefreshTalliesSql(int rows) => $"""
        UPDATE OR FAIL mv_winner AS w SET support_units = mv.support_units, total_units = s.total_units, candidates = s.candidates
        FROM (VALUES {MultiRowInsert.Values(KeyColumns, rows)}) k
        CROSS JOIN mv_set s ON s.subject = k.column2 AND s.predicate = k.column3
        JOIN assertions a
        JOIN mv_value mv ON mv.subject = k.column2 AND mv.predicate = k.column3 AND mv.object_type = a.object_type AND mv.object IS a.object
        WHERE w.lens = k.column1 AND w.subject = k.column2 AND w.predicate = k.column3 AND a.lsn = w.lsn
        """;

    /// <summary>
    /// Rewrites the tallies of one row whose state did not move (a plain UPDATE: alone, the constant table of the
    /// many-row form costs more than its seeks); exposed so tests can check its query plan.
    /// </summary>
    public const string RefreshSql = """
        UPDATE OR FAIL mv_winner AS w SET (support_units, total_units, candidates) = (
            SELECT mv.support_units, s.total_units, s.candidates FROM mv_set s, assertions a, mv_value mv
            WHERE s.subject = w.subject AND s.predicate = w.predicate AND a.lsn = w.lsn
                AND mv.subject = w.subject AND mv.predicate = w.predicate AND mv.object_type = a.object_type AND mv.object IS a.object)
        WHERE w.lens = $lens0 AND w.subject = $subject0 AND w.predicate = $predicate0
        """;

    /// <summary>Rewrites the tallies of <see cref="RowsPerStatement"/> rows (exposed so tests can check its plan).</summary>
    public static readonly string RefreshRowsSql = RefreshTalliesSql(RowsPerStatement);

    private static readonly string[] TallyColumns = ["lens", "subject", "predicate", "object_type", "object", "support_units", "total_units", "candidates"];
    private static readonly string[] StateTallyColumns = [.. TallyColumns, "tally", "data"];

    // A row whose winner stays, with its set's tallies given as constants (see TouchedSetTallies): the winner's support
    // becomes the moved value's where the row's winner has that value (its copied object tells), else it stands; the
    // set's total and candidates are the set's; with a state, its tally and data too (its winner LSN is the row's).
    private static string WriteTalliesSql(bool state, int rows)
    {
        var columns = state ? StateTallyColumns : TallyColumns;
        // A row's values: the constant table's columns (column1… in the columns' order), or one row's parameters.
        Func<string, string> value = rows == 1 ? c => $"${c}0" : c => $"k.column{Array.IndexOf(columns, c) + 1}";
        string set = $"""
            support_units = CASE WHEN w.object_type = {value("object_type")} AND w.object IS {value("object")} THEN {value("support_units")} ELSE w.support_units END,
                total_units = {value("total_units")}, candidates = {value("candidates")}{(state ? $", tally = {value("tally")}, data = {value("data")}" : "")}
            """;
        string key = $"w.lens = {value("lens")} AND w.subject = {value("subject")} AND w.predicate = {value("predicate")}";
        // Alone, a plain UPDATE: the constant table of the many-row form costs more than its seek.
        return rows == 1
            ? $"UPDATE OR FAIL mv_winner AS w SET {set} WHERE {key}"
            : $"UPDATE OR FAIL mv_winner AS w SET {set} FROM (VALUES {MultiRowInsert.Values(columns, rows)}) k WHERE {key}";
    }

    /// <summary>Rewrites the tallies of one row whose state stayed, from constants (exposed so tests can check its plan).</summary>
    public static readonly string WriteTalliesOneSql = WriteTalliesSql(state: false, 1);

    /// <summary>Rewrites the tallies of <see cref="RowsPerStatement"/> rows whose state stayed, from constants (exposed so tests can check its plan).</summary>
    public static readonly string WriteTalliesRowsSql = WriteTalliesSql(state: false, RowsPerStatement);

    /// <summary>Rewrites the state and tallies of one row whose winner stayed, from constants (exposed so tests can check its plan).</summary>
    public static readonly string WriteStateTalliesOneSql = WriteTalliesSql(state: true, 1);

    /// <summary>Rewrites the state and tallies of <see cref="RowsPerStatement"/> rows whose winner stayed, from constants (exposed so tests can check its plan).</summary>
    public static readonly string WriteStateTalliesRowsSql = WriteTalliesSql(state: true, RowsPerStatement);

    /// <summary>Drops the rows of one lens (a lens no longer materialized, or one about to be built again).</summary>
    public const string DeleteLensSql = "DELETE FROM mv_winner WHERE lens = $lens";

    /// <summary>A row's state columns, as <see cref="StateOf"/> reads them.</summary>
    public const string StateColumnList = "lsn, tally, data";

    /// <summary>Reads the state of one (lens, set).</summary>
    public const string ReadStateSql = $"SELECT {StateColumnList} FROM mv_winner WHERE lens = $lens AND subject = $subject AND predicate = $predicate";

    /// <summary>The state in <paramref name="row"/>, whose first columns are <see cref="StateColumnList"/>.</summary>
    public static LensState StateOf(object?[] row) => new((long)row[0]!, (long)row[1]!, row[2] as byte[]);

    private static readonly string[] RowColumns = Columns.Split(", ");

    /// <summary>Writes one whole row whose values the caller holds (a set the batch created: see <see cref="NewSetRows"/>).</summary>
    public static readonly string WriteSql = MultiRowInsert.Sql("mv_winner", RowColumns, 1, Upsert);

    /// <summary>Writes <see cref="RowsPerStatement"/> whole rows (exposed so tests can check its plan).</summary>
    public static readonly string WriteRowsSql = MultiRowInsert.Sql("mv_winner", RowColumns, RowsPerStatement, Upsert);

    // Whole rows to write, states to store with their view rows, and rows whose tallies to rewrite, RowsPerStatement per
    // statement; _buffers holds them all in the order Flush writes them.
    private readonly TypedRowInsert<WinnerRow> _rows;
    private readonly MultiRowInsert _states;
    private readonly MultiRowInsert _statesGiven;
    private readonly MultiRowInsert _tallies;
    private readonly MultiRowInsert _talliesGiven;
    private readonly MultiRowInsert[] _buffers;

    /// <summary>Prepares the statements on the writer's (or the check's) connection.</summary>
    public WinnerTable(SqliteConnection connection)
    {
        _rows = new TypedRowInsert<WinnerRow>(connection, "mv_winner", RowColumns, Upsert);
        _states = new MultiRowInsert(connection, StateColumns, StoreStateSql, StoreStateRowsSql);
        _statesGiven = new MultiRowInsert(connection, StateTallyColumns, WriteStateTalliesOneSql, WriteStateTalliesRowsSql);
        _tallies = new MultiRowInsert(connection, KeyColumns, RefreshSql, RefreshRowsSql);
        _talliesGiven = new MultiRowInsert(connection, TallyColumns, WriteTalliesOneSql, WriteTalliesRowsSql);
        _buffers = [_rows, _states, _statesGiven, _tallies, _talliesGiven];
    }

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

    /// <summary>Writes a whole row, state and view columns (buffered until <see cref="Flush"/>).</summary>
    public void Write(in WinnerRow row) => _rows.Add(row);

    /// <summary>Stores <paramref name="state"/> with its view row from the fold's tables (buffered until <see cref="Flush"/>).</summary>
    public void Store(string lens, SetKey set, LensState state) =>
        _states.Add([lens, set.Subject, set.Predicate, state.WinnerLsn, state.Tally, state.Data]);

    /// <summary>Rewrites the tallies of the row of a (lens, set) whose state did not move (none where the lens has no state for the set).</summary>
    public void RefreshTallies(string lens, SetKey set) => _tallies.Add([lens, set.Subject, set.Predicate]);

    /// <summary>
    /// Rewrites the tallies of the row of a (lens, set) whose state did not move from the set's <paramref name="tallies"/>
    /// after the batch (none where the lens has no state for the set), without reading the tables they come from.
    /// </summary>
    public void WriteTallies(string lens, SetKey set, SetTallies tallies) =>
        _talliesGiven.Add([lens, set.Subject, set.Predicate, tallies.ObjectType, tallies.Object, tallies.Support, tallies.Total, tallies.Candidates]);

    /// <summary>
    /// Stores <paramref name="state"/>, whose winner is the row's already (its assertion columns stand), with the set's
    /// <paramref name="tallies"/> after the batch, without reading the tables they come from.
    /// </summary>
    public void WriteState(string lens, SetKey set, LensState state, SetTallies tallies) =>
        _statesGiven.Add([lens, set.Subject, set.Predicate, tallies.ObjectType, tallies.Object, tallies.Support, tallies.Total, tallies.Candidates, state.Tally, state.Data]);

    /// <summary>Writes what is buffered: whole rows, then states with their view rows, then tallies (a row in no two of them).</summary>
    public void Flush()
    {
        foreach (var buffer in _buffers) buffer.Flush();
    }

    /// <summary>Drops what is buffered (its transaction rolls back).</summary>
    public void Discard()
    {
        foreach (var buffer in _buffers) buffer.Discard();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var buffer in _buffers) buffer.Dispose();
    }
}
