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
    private static readonly string[] ValueColumns = ValueRow.Columns;
    private static readonly string[] SetColumns = SetRow.Columns;

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
    private readonly TypedRowInsert<ValueRow> _values;
    private readonly TypedRowInsert<SetRow> _sets;
    private readonly TypedRowInsert<ValueRow> _valueTotals;
    private readonly TypedRowInsert<SetRow> _setTotals;
    // Rows of existing sets wait here until a flush writes them in the table's key order (see KeyOrder): a batch over
    // many sets then visits each page of mv_value and mv_set once, in order.
    private readonly List<ValueRow> _valueRows = [];
    private readonly List<SetRow> _setRows = [];

    /// <summary>Prepares the statements on the writer's connection.</summary>
    public SetRowWrites(SqliteConnection connection)
    {
        _exists = new KeyedRowLookup(connection, "mv_set", SetKeyColumns, column: null);
        _values = new TypedRowInsert<ValueRow>(connection, "mv_value", ValueColumns);
        _sets = new TypedRowInsert<SetRow>(connection, "mv_set", SetColumns);
        _valueTotals = new TypedRowInsert<ValueRow>(connection, "mv_value", ValueColumns, ValueUpsert);
        _setTotals = new TypedRowInsert<SetRow>(connection, "mv_set", SetColumns, SetUpsert);
    }

    /// <summary>The sets among <paramref name="sets"/> that exist already (where a batch creates sets, usually few).</summary>
    public HashSet<SetKey> Existing(IReadOnlyList<SetKey> sets)
    {
        var existing = new HashSet<SetKey>();
        foreach (var (position, _) in _exists.Find(sets.Count, (i, key) => (key[0], key[1]) = (sets[i].Subject, sets[i].Predicate))) existing.Add(sets[position]);
        return existing;
    }

    /// <summary>Inserts a value of a new set (buffered).</summary>
    public void AddValue(ValueKey value, long support, long firstLsn) => _values.Add(new ValueRow(value, support, firstLsn));

    /// <summary>Inserts a new set (buffered).</summary>
    public void AddSet(SetKey set, long total, long candidates, long assertions) => _sets.Add(new SetRow(set, total, candidates, assertions));

    /// <summary>Writes a value row read ahead (or read ahead as absent) with its new support (buffered).</summary>
    public void PutValue(ValueKey value, long support, long firstLsn) => _valueRows.Add(new ValueRow(value, support, firstLsn));

    /// <summary>Writes a set row read ahead (or read ahead as absent) with its new totals (buffered).</summary>
    public void PutSet(SetKey set, long total, long candidates, long assertions) => _setRows.Add(new SetRow(set, total, candidates, assertions));

    /// <summary>Inserts the buffered rows.</summary>
    public void Flush()
    {
        FlushValues();
        _sets.Flush();
        UpsertInKeyOrder(_setRows, static (a, b) => KeyOrder.Compare(a.Set, b.Set), _setTotals);
    }

    /// <summary>
    /// Inserts the buffered value rows only (before a set's values are read): the set rows keep filling their
    /// multi-row statements, where a flush per read left a few rows each to go one statement per row.
    /// </summary>
    public void FlushValues()
    {
        _values.Flush();
        UpsertInKeyOrder(_valueRows, static (a, b) => KeyOrder.Compare(a.Value, b.Value), _valueTotals);
    }

    // Writes the buffered rows of existing sets through their upsert in the table's key order; the buffer is emptied
    // whether or not the write succeeds (a failure rolls the batch back).
    private static void UpsertInKeyOrder<TRow>(List<TRow> rows, Comparison<TRow> keyOrder, TypedRowInsert<TRow> upsert)
        where TRow : struct, IBoundRow
    {
        try
        {
            rows.Sort(keyOrder);
            foreach (var row in rows) upsert.Add(row);
            upsert.Flush();
        }
        finally
        {
            rows.Clear();
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

/// <summary>An <c>mv_value</c> row: a value, its support and the LSN of its first assertion.</summary>
internal readonly record struct ValueRow(ValueKey Value, long Support, long FirstLsn) : IBoundRow
{
    /// <summary>The columns, in bind order.</summary>
    public static readonly string[] Columns = ["subject", "predicate", "object_type", "object", "support_units", "first_lsn"];

    /// <inheritdoc />
    public void BindTo(PreparedSql statement, int firstSlot)
    {
        statement.Bind(firstSlot, Value.Subject);
        statement.Bind(firstSlot + 1, Value.Predicate);
        statement.Bind(firstSlot + 2, Value.ObjectType);
        statement.Bind(firstSlot + 3, Value.Object);
        statement.Bind(firstSlot + 4, Support);
        statement.Bind(firstSlot + 5, FirstLsn);
    }
}

/// <summary>An <c>mv_set</c> row: a set, its total support, distinct values and assertions.</summary>
internal readonly record struct SetRow(SetKey Set, long Total, long Candidates, long Assertions) : IBoundRow
{
    /// <summary>The columns, in bind order.</summary>
    public static readonly string[] Columns = ["subject", "predicate", "total_units", "candidates", "assertion_count"];

    /// <inheritdoc />
    public void BindTo(PreparedSql statement, int firstSlot)
    {
        statement.Bind(firstSlot, Set.Subject);
        statement.Bind(firstSlot + 1, Set.Predicate);
        statement.Bind(firstSlot + 2, Total);
        statement.Bind(firstSlot + 3, Candidates);
        statement.Bind(firstSlot + 4, Assertions);
    }
}
