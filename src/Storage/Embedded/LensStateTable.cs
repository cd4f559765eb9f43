using System.Globalization;
using Microsoft.Data.Sqlite;
using StemeQL.Core.Lenses;

namespace StemeQL.Storage.Embedded;

/// <summary>
/// The embedded store's side of the lens state port (<see cref="ILensStateStore"/>): one row per
/// (lens, subject, predicate) in <c>lens_state</c>, whatever the lens. A <c>meta</c> key per lens
/// (<c>lens:name</c>) records that its states are complete, so a lens the store did not materialize
/// before is built from the value tallies when it first opens with it (<see cref="BuildMissing"/>). At each
/// <see cref="Flush"/> it also rewrites the view row (<see cref="WinnerTable"/>) of every (lens, set) the batch touched.
/// </summary>
internal sealed class LensStateTable : ILensStateStore, IDisposable
{
    private const string MarkerPrefix = "lens:";

    /// <summary>The names of the lenses whose states are complete.</summary>
    public const string MarkedSql = $"SELECT substr(key, 6) FROM meta WHERE key LIKE '{MarkerPrefix}%' ORDER BY key";

    /// <summary>States stored per multi-row statement: a batch of new sets writes one state per lens and set.</summary>
    public const int RowsPerStatement = MultiRowInsert.RowsPerStatement;

    private static readonly string[] Columns = ["lens", "subject", "predicate", "winner_lsn", "tally", "data"];

    private const string Upsert =
        "ON CONFLICT(lens, subject, predicate) DO UPDATE SET winner_lsn = excluded.winner_lsn, tally = excluded.tally, data = excluded.data";

    // A batch that moves (or touches) more states than this writes them as it goes: the buffers stay small.
    private const int MaxPending = RowsPerStatement * 16;

    private readonly SqliteConnection _connection;
    private readonly PreparedSql _read;
    // Writes wait here until the fold's Flush, then go RowsPerStatement at a time; reads look here first.
    private readonly Dictionary<(string Lens, SetKey Set), LensState> _pending = [];
    private readonly MultiRowInsert _writes;
    // The (lens, set) view rows the batch touched, rewritten in mv_winner once each at Flush, after the states.
    private readonly HashSet<(string Lens, SetKey Set)> _touched = [];
    private readonly WinnerTable _winners;
    // What the batch holds about the sets it creates (null on the integrity check's connection: every row is re-read).
    private readonly NewSetRows? _newSets;
    private readonly NewSetWrites? _newSetWrites;
    private readonly List<(string Lens, SetKey Set)> _refreshed = [];
    private readonly object?[] _row = new object?[WinnerTable.RowLength];

    /// <summary>The statements, exposed so tests can check their query plans use indexes.</summary>
    public static IReadOnlyList<string> Statements { get; } =
    [
        "SELECT winner_lsn, tally, data FROM lens_state WHERE lens = $lens AND subject = $subject AND predicate = $predicate",
        MultiRowInsert.Sql("lens_state", Columns, 1, Upsert),
        MultiRowInsert.Sql("lens_state", Columns, RowsPerStatement, Upsert),
    ];

    /// <param name="connection">The writer's (or the check's) connection.</param>
    /// <param name="newSets">What the ingestor's batch holds about the sets it creates, or null to re-read every view row.</param>
    /// <param name="newSetWrites">The buffered value and set rows of those sets, written before any view row is re-read.</param>
    public LensStateTable(SqliteConnection connection, NewSetRows? newSets = null, NewSetWrites? newSetWrites = null)
    {
        _connection = connection;
        _newSets = newSets;
        _newSetWrites = newSetWrites;
        _winners = new WinnerTable(connection);
        _read = new PreparedSql(connection, Statements[0], "lens", "subject", "predicate");
        _writes = new MultiRowInsert(connection, "lens_state", Columns, Upsert);
    }

    /// <inheritdoc />
    public LensState? Read(string lens, SetKey set)
    {
        if (_pending.Count > 0 && _pending.TryGetValue((lens, set), out var waiting)) return waiting;
        return _read.Row(lens, set.Subject, set.Predicate) is { } row ? new LensState((long)row[0]!, (long)row[1]!, row[2] as byte[]) : null;
    }

    /// <inheritdoc />
    public void Write(string lens, SetKey set, LensState state)
    {
        _pending[(lens, set)] = state;
        // Safe here, not in Touched: every (lens, set) touched so far has its tallies written and its state pending.
        if (_pending.Count >= MaxPending || _touched.Count >= MaxPending) Flush();
    }

    /// <inheritdoc />
    public void Touched(string lens, SetKey set) => _touched.Add((lens, set));

    /// <inheritdoc />
    public void Flush()
    {
        try
        {
            _newSetWrites?.Flush();
            // A set the batch created: its row from memory, while its states are still pending. Any other: re-read
            // from the tables once the states are written.
            foreach (var key in _touched)
            {
                if (_newSets is not null && _newSets.Created(key.Set) && _pending.TryGetValue(key, out var state)
                    && _newSets.TryFill(key.Lens, key.Set, state, _row)) _winners.Write(_row);
                else _refreshed.Add(key);
            }
            FlushStates();
            _winners.FlushRows();
            _winners.Refresh(_refreshed);
        }
        finally
        {
            _refreshed.Clear();
            _touched.Clear();
        }
    }

    private void FlushStates()
    {
        foreach (var ((lens, set), state) in _pending)
            _writes.Add([lens, set.Subject, set.Predicate, state.WinnerLsn, state.Tally, state.Data]);
        _writes.Flush();
        _pending.Clear();
    }

    /// <inheritdoc />
    public void Discard()
    {
        _pending.Clear();
        _touched.Clear();
        _refreshed.Clear();
        _winners.Discard();
        _newSetWrites?.Discard();
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
            Execute(transaction, "DELETE FROM lens_state WHERE lens = $lens", name);
            Execute(transaction, WinnerTable.DeleteLensSql, name);
            Execute(transaction, "DELETE FROM meta WHERE key = $lens", MarkerPrefix + name);
        }
        if (missing.Count > 0)
        {
            foreach (var lens in missing)
            {
                Execute(transaction, "DELETE FROM lens_state WHERE lens = $lens", lens.Name);
                Execute(transaction, WinnerTable.DeleteLensSql, lens.Name);
            }
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
    // over assertions run while the seeds write lens_state.
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
        _writes.Dispose();
        _winners.Dispose();
    }
}
