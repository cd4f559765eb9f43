using System.Globalization;
using Microsoft.Data.Sqlite;
using StemeQL.Core.Lenses;

namespace StemeQL.Storage.Embedded;

/// <summary>
/// The embedded store's side of the lens state port (<see cref="ILensStateStore"/>): each state is the state columns
/// (<c>lsn</c>, <c>tally</c>, <c>data</c>) of its (lens, subject, predicate) row in <c>mv_winner</c>
/// (<see cref="WinnerTable"/>), whatever the lens, beside that row's view columns, so that storing a state and
/// rewriting its view row are one row write. A <c>meta</c> key per lens (<c>lens:name</c>) records that its states
/// are complete, so a lens the store did not materialize before is built from the value tallies when it first
/// opens with it (<see cref="BuildMissing"/>). States wait for the fold's <see cref="Flush"/>, where every (lens, set)
/// the batch touched is written once, in key order: a moved winner with its whole row, a row whose winner stayed with
/// its tallies (and its moved state), from the batch's <see cref="TouchedSetTallies"/> where it knows them.
/// </summary>
internal sealed class LensStateTable : ILensStateStore, IDisposable
{
    private const string MarkerPrefix = "lens:";

    /// <summary>The names of the lenses whose states are complete.</summary>
    public const string MarkedSql = $"SELECT substr(key, 6) FROM meta WHERE key LIKE '{MarkerPrefix}%' ORDER BY key";

    // A batch that moves (or touches) more states than this writes them as it goes, so the buffers stay bounded; up to
    // it, a whole chunk's rows are written in key order (see Flush), and the fewer runs the better.
    private const int MaxPending = MultiRowInsert.RowsPerStatement * 1024;

    private readonly SqliteConnection _connection;
    private readonly PreparedSql _read;
    // The (lens, set) rows the batch touched, each written once at Flush, with the states written (they wait here until
    // the fold's Flush; reads look here first) and the winner LSN each row held when the fold read its state.
    private readonly LensRowSlots _rows = new();
    private readonly WinnerTable _winners;
    // What the batch holds about the sets it creates (null on the integrity check's connection: every row is re-read).
    private readonly NewSetRows? _newSets;
    private readonly SetRowWrites? _setRowWrites;
    private readonly ViewReadAhead? _readAhead;
    // The sets' tallies after the batch: with the winner LSN a row held when read, a row whose winner stays is
    // rewritten from them, without reading the tables (null: every row is re-read).
    private readonly TouchedSetTallies? _tallies;

    /// <summary>The statement that reads a state, exposed so tests can check its query plan.</summary>
    public static IReadOnlyList<string> Statements { get; } = [WinnerTable.ReadStateSql];

    /// <param name="connection">The writer's (or the check's) connection.</param>
    /// <param name="newSets">What the ingestor's batch holds about the sets it creates, or null to re-read every view row.</param>
    /// <param name="setRowWrites">The buffered value and set rows of the batch, written before any view row is re-read.</param>
    /// <param name="readAhead">The states of the batch's existing sets, read many per statement, or null to read each.</param>
    /// <param name="tallies">The tallies of the sets the batch touched, or null to refresh every row from the tables.</param>
    public LensStateTable(SqliteConnection connection, NewSetRows? newSets = null, SetRowWrites? setRowWrites = null, ViewReadAhead? readAhead = null,
        TouchedSetTallies? tallies = null)
    {
        _tallies = tallies;
        _readAhead = readAhead;
        _connection = connection;
        _newSets = newSets;
        _setRowWrites = setRowWrites;
        _winners = new WinnerTable(connection);
        _read = new PreparedSql(connection, WinnerTable.ReadStateSql, "lens", "subject", "predicate");
    }

    /// <inheritdoc />
    public LensState? Read(string lens, SetKey set)
    {
        if (_rows.PendingCount > 0 && _rows.TryGet(lens, set, out var entry) && entry.Pending is { } waiting) return waiting;
        var stored = _readAhead is not null && _readAhead.TryState(lens, set, out var ahead) ? ahead
            : _read.Row(lens, set.Subject, set.Predicate) is { } row ? WinnerTable.StateOf(row) : null;
        if (_tallies is not null && stored is not null) _rows.At(lens, set).WinnerRead = stored.WinnerLsn;
        return stored;
    }

    /// <inheritdoc />
    public void Write(string lens, SetKey set, LensState state)
    {
        _rows.Hold(ref _rows.At(lens, set), state);
        _readAhead?.StateWritten(lens, set);
        // Safe here, not in Touched: every (lens, set) touched so far has its tallies written and its state pending.
        if (_rows.PendingCount >= MaxPending || _rows.TouchedCount >= MaxPending) Flush();
    }

    /// <inheritdoc />
    public void Touched(string lens, SetKey set) => _rows.Touch(ref _rows.At(lens, set));

    /// <inheritdoc />
    public void Flush()
    {
        try
        {
            _setRowWrites?.Flush();
            // In the table's key order: a batch over many sets visits each B-tree page once, in order, instead of at
            // random (about 40% less CPU for the same 100,000 rows of 200,000, measured with SQLite alone), and the rows of
            // the sets it creates fill pages one after another (a third of the WAL bytes per new set).
            _rows.ForEachTouched(WriteRow);
            _winners.Flush();
        }
        finally
        {
            _rows.Clear();
        }
    }

    // Buffers the write of one touched (lens, set) row. A moved state of a set the batch created: its whole row from
    // memory. A row whose winner stays: its state and tallies from what the batch wrote, where it knows them, else from
    // the tables. A moved winner: its view columns from the tables.
    private void WriteRow(string lens, SetKey set, LensRowSlots.Entry row)
    {
        SetTallies tallies = default;
        if (row.Pending is not { } state)
        {
            if (_tallies is not null && _tallies.TryGet(set, out tallies)) _winners.WriteTallies(lens, set, tallies);
            else _winners.RefreshTallies(lens, set);
        }
        else if (_newSets is not null && _newSets.TryGetRow(lens, set, state, out var whole)) _winners.Write(whole);
        else if (row.WinnerRead != 0 && row.WinnerRead == state.WinnerLsn && _tallies is not null && _tallies.TryGet(set, out tallies))
            _winners.WriteState(lens, set, state, tallies);
        else _winners.Store(lens, set, state);
    }

    /// <inheritdoc />
    public void Discard()
    {
        _rows.Clear();
        _winners.Discard();
        _setRowWrites?.Discard();
    }

    /// <summary>
    /// Makes the stored states those of exactly <paramref name="lenses"/>, as of the views'
    /// <paramref name="materialized"/> LSN, in one transaction: builds each lens without a marker from
    /// the value tallies and the assertions up to that LSN (no SQL of its own: its fold seeds each set),
    /// and drops the states of lenses no longer materialized (they would go stale).
    /// </summary>
    public void BuildMissing(ViewFold<ValueKey> fold, IReadOnlyList<ILens> lenses, long materialized)
    {
        var marked = Marked();
        var missing = lenses.Where(l => !marked.Contains(l.Name)).ToList();
        var dropped = marked.Where(name => !lenses.Any(l => l.Name == name)).ToList();
        if (missing.Count == 0 && dropped.Count == 0) return;
        using var transaction = _connection.BeginTransaction();
        foreach (var name in dropped)
        {
            Execute(transaction, WinnerTable.DeleteLensSql, name);
            Execute(transaction, "DELETE FROM meta WHERE key = $lens", MarkerPrefix + name);
        }
        if (missing.Count > 0)
        {
            foreach (var lens in missing) Execute(transaction, WinnerTable.DeleteLensSql, lens.Name);
            try
            {
                SeedSets(transaction, fold, missing, materialized);
                Flush();
            }
            finally
            {
                Discard();
            }
            foreach (var lens in missing) Execute(transaction, "INSERT INTO meta(key, value) VALUES ($lens, 'materialized')", MarkerPrefix + lens.Name);
        }
        transaction.Commit();
    }

    private HashSet<string> Marked()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = MarkedSql;
        using var reader = command.ExecuteReader();
        var names = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read()) names.Add(reader.GetString(0));
        return names;
    }

    // Seeds every set from its first and last assertion up to the views' LSN (assertions ingested but not
    // yet materialized are folded by the replay that follows). The sets stream: SQLite lets the cursor
    // over assertions run while the seeds write mv_winner.
    private void SeedSets(SqliteTransaction transaction, ViewFold<ValueKey> fold, IReadOnlyList<ILens> lenses, long materialized)
    {
        using var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT subject, predicate, min(lsn), max(lsn) FROM assertions WHERE lsn <= $upto GROUP BY subject, predicate";
        command.Parameters.AddWithValue("$upto", materialized);
        using var reader = command.ExecuteReader();
        while (reader.Read()) fold.Seed(lenses, new SetKey(reader.GetString(0), reader.GetString(1)), reader.GetInt64(2), reader.GetInt64(3));
    }

    private void Execute(SqliteTransaction transaction, string sql, string lens)
    {
        using var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.Parameters.AddWithValue("$lens", lens);
        command.ExecuteNonQuery();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _read.Dispose();
        _winners.Dispose();
    }
}
