using Microsoft.Data.Sqlite;
using StemeQL.Core.Lenses;

namespace StemeQL.Storage.Embedded;

/// <summary>
/// The <c>mv_value</c> and <c>mv_set</c> rows a batch writes from memory, <see cref="MultiRowInsert.RowsPerStatement"/>
/// at a time. The rows of the candidate sets it creates: which of the batch's asserted sets are new is asked once
/// per batch, many sets per statement; a set that does not exist has no values either, so each of its values and
/// the set itself is a plain insert, where the insert-or-update of an existing set's rows is a statement per row.
/// The rows of existing sets that were read ahead (<see cref="ViewReadAhead"/>): their new totals, as upserts.
/// The rows wait in buffers: <see cref="Flush"/> before anything reads those tables (the view row refresh, a
/// whole set's values), <see cref="Discard"/> when the batch rolls back.
/// </summary>
internal sealed class SetRowWrites : IDisposable
{
    private static readonly string[] SetKeyColumns = ["subject", "predicate"];
    private static readonly string[] ValueColumns = ["subject", "predicate", "object_type", "object", "support_units", "first_lsn"];
    private static readonly string[] SetColumns = ["subject", "predicate", "total_units", "candidates", "assertion_count"];

    private static readonly (string One, string Many) ExistStatements = KeyedRowLookup.Statements("mv_set", SetKeyColumns, column: null);

    /// <summary>Whether one set exists.</summary>
    public static string ExistsSql => ExistStatements.One;

    /// <summary>Which of <see cref="MultiRowInsert.RowsPerStatement"/> sets exist, by position (exposed so tests can check its plan).</summary>
    public static string ExistRowsSql => ExistStatements.Many;

    private const string ValueUpsert = "ON CONFLICT(subject, predicate, object_type, object) DO UPDATE SET support_units = excluded.support_units";
    private const string SetUpsert =
        "ON CONFLICT(subject, predicate) DO UPDATE SET total_units = excluded.total_units, candidates = excluded.candidates, assertion_count = excluded.assertion_count";

    /// <summary>The upserts of <see cref="MultiRowInsert.RowsPerStatement"/> read-ahead value and set rows (exposed so tests can check their plans).</summary>
    public static IReadOnlyList<string> UpsertRowsSql { get; } =
    [
        MultiRowInsert.Sql("mv_value", ValueColumns, MultiRowInsert.RowsPerStatement, ValueUpsert),
        MultiRowInsert.Sql("mv_set", SetColumns, MultiRowInsert.RowsPerStatement, SetUpsert),
    ];

    private readonly KeyedRowLookup _exists;
    private readonly MultiRowInsert _values;
    private readonly MultiRowInsert _sets;
    private readonly MultiRowInsert _valueTotals;
    private readonly MultiRowInsert _setTotals;
    // Rows of existing sets wait here until a flush writes them in the table's key order (see KeyOrder): a batch over
    // many sets then visits each page of mv_value and mv_set once, in order.
    private readonly List<(ValueKey Value, long Support, long FirstLsn)> _valueRows = [];
    private readonly List<(SetKey Set, long Total, long Candidates, long Assertions)> _setRows = [];

    /// <summary>Prepares the statements on the writer's connection.</summary>
    public SetRowWrites(SqliteConnection connection)
    {
        _exists = new KeyedRowLookup(connection, "mv_set", SetKeyColumns, column: null);
        _values = new MultiRowInsert(connection, "mv_value", ValueColumns);
        _sets = new MultiRowInsert(connection, "mv_set", SetColumns);
        _valueTotals = new MultiRowInsert(connection, "mv_value", ValueColumns, ValueUpsert);
        _setTotals = new MultiRowInsert(connection, "mv_set", SetColumns, SetUpsert);
    }

    /// <summary>The sets among <paramref name="sets"/> that do not exist yet.</summary>
    public HashSet<SetKey> Absent(IReadOnlyList<SetKey> sets)
    {
        var absent = new HashSet<SetKey>(sets);
        foreach (var (position, _) in _exists.Find(sets.Count, (i, key) => (key[0], key[1]) = (sets[i].Subject, sets[i].Predicate))) absent.Remove(sets[position]);
        return absent;
    }

    /// <summary>Inserts a value of a new set (buffered).</summary>
    public void AddValue(ValueKey value, long support, long firstLsn) =>
        _values.Add([value.Subject, value.Predicate, value.ObjectType, value.Object, support, firstLsn]);

    /// <summary>Inserts a new set (buffered).</summary>
    public void AddSet(SetKey set, long total, long candidates, long assertions) =>
        _sets.Add([set.Subject, set.Predicate, total, candidates, assertions]);

    /// <summary>Writes a value row read ahead (or read ahead as absent) with its new support (buffered).</summary>
    public void PutValue(ValueKey value, long support, long firstLsn) => _valueRows.Add((value, support, firstLsn));

    /// <summary>Writes a set row read ahead (or read ahead as absent) with its new totals (buffered).</summary>
    public void PutSet(SetKey set, long total, long candidates, long assertions) => _setRows.Add((set, total, candidates, assertions));

    /// <summary>Inserts the buffered rows.</summary>
    public void Flush()
    {
        FlushValues();
        _sets.Flush();
        try
        {
            _setRows.Sort((a, b) => KeyOrder.Compare(a.Set, b.Set));
            foreach (var (set, total, candidates, assertions) in _setRows) _setTotals.Add([set.Subject, set.Predicate, total, candidates, assertions]);
            _setTotals.Flush();
        }
        finally
        {
            _setRows.Clear();
        }
    }

    /// <summary>
    /// Inserts the buffered value rows only (before a set's values are read): the set rows keep filling their
    /// multi-row statements, where a flush per read left a few rows each to go one statement per row.
    /// </summary>
    public void FlushValues()
    {
        _values.Flush();
        try
        {
            _valueRows.Sort((a, b) => KeyOrder.Compare(a.Value, b.Value));
            foreach (var (value, support, first) in _valueRows) _valueTotals.Add([value.Subject, value.Predicate, value.ObjectType, value.Object, support, first]);
            _valueTotals.Flush();
        }
        finally
        {
            _valueRows.Clear();
        }
    }

    /// <summary>Drops the buffered rows (their transaction rolls back).</summary>
    public void Discard()
    {
        _values.Discard();
        _sets.Discard();
        _valueTotals.Discard();
        _setTotals.Discard();
        _valueRows.Clear();
        _setRows.Clear();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _exists.Dispose();
        _values.Dispose();
        _sets.Dispose();
        _valueTotals.Dispose();
        _setTotals.Dispose();
    }
}
