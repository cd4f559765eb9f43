using Microsoft.Data.Sqlite;
using StemeQL.Core.Lenses;

namespace StemeQL.Storage.Embedded;

/// <summary>
/// The <c>mv_value</c> and <c>mv_set</c> rows of the candidate sets a batch creates, inserted
/// <see cref="MultiRowInsert.RowsPerStatement"/> at a time. Which of the batch's asserted sets are new is asked once
/// per batch, many sets per statement; a set that does not exist has no values either, so each of its values and
/// the set itself is a plain insert, where the insert-or-update of an existing set's rows is a statement per row.
/// The rows wait in buffers: <see cref="Flush"/> before anything reads those tables (the view row refresh, a
/// whole set's values), <see cref="Discard"/> when the batch rolls back.
/// </summary>
internal sealed class NewSetWrites : IDisposable
{
    private const int Rows = MultiRowInsert.RowsPerStatement;

    private static readonly string[] SetKeyColumns = ["subject", "predicate"];
    private static readonly string[] ValueColumns = ["subject", "predicate", "object_type", "object", "support_units", "first_lsn"];
    private static readonly string[] SetColumns = ["subject", "predicate", "total_units", "candidates", "assertion_count"];

    /// <summary>Whether one set exists.</summary>
    public const string ExistsSql = "SELECT 1 FROM mv_set WHERE subject = $subject AND predicate = $predicate";

    /// <summary>Which of <see cref="MultiRowInsert.RowsPerStatement"/> sets exist, by position (exposed so tests can check its plan).</summary>
    public static readonly string ExistRowsSql = $"""
        SELECT k.column1 FROM (VALUES {string.Join(", ", Enumerable.Range(0, Rows).Select(i => $"({i}, $subject{i}, $predicate{i})"))}) k
        CROSS JOIN mv_set s ON s.subject = k.column2 AND s.predicate = k.column3
        """;

    private readonly PreparedSql _exists;
    private readonly PreparedSql _existRows;
    private readonly MultiRowInsert _values;
    private readonly MultiRowInsert _sets;
    private readonly object?[] _keys = new object?[Rows * SetKeyColumns.Length];
    private readonly List<long> _found = [];
    private readonly Action<object?[]> _addFound;

    /// <summary>Prepares the statements on the writer's connection.</summary>
    public NewSetWrites(SqliteConnection connection)
    {
        _addFound = row => _found.Add((long)row[0]!);
        _exists = new PreparedSql(connection, ExistsSql, SetKeyColumns);
        _existRows = new PreparedSql(connection, ExistRowsSql, MultiRowInsert.ParameterNames(SetKeyColumns, Rows));
        _values = new MultiRowInsert(connection, "mv_value", ValueColumns);
        _sets = new MultiRowInsert(connection, "mv_set", SetColumns);
    }

    /// <summary>The sets among <paramref name="sets"/> that do not exist yet.</summary>
    public HashSet<SetKey> Absent(IReadOnlyList<SetKey> sets)
    {
        var absent = new HashSet<SetKey>(sets);
        int whole = sets.Count - sets.Count % Rows;
        for (int start = 0; start < whole; start += Rows)
        {
            for (int i = 0; i < Rows; i++)
            {
                _keys[2 * i] = sets[start + i].Subject;
                _keys[2 * i + 1] = sets[start + i].Predicate;
            }
            _found.Clear();
            _existRows.ForEachRow(_keys, _addFound);
            foreach (long position in _found) absent.Remove(sets[start + (int)position]);
        }
        Array.Clear(_keys);
        for (int i = whole; i < sets.Count; i++)
        {
            if (_exists.Scalar(sets[i].Subject, sets[i].Predicate) is not null) absent.Remove(sets[i]);
        }
        return absent;
    }

    /// <summary>Inserts a value of a new set (buffered).</summary>
    public void AddValue(ValueKey value, long support, long firstLsn) =>
        _values.Add([value.Subject, value.Predicate, value.ObjectType, value.Object, support, firstLsn]);

    /// <summary>Inserts a new set (buffered).</summary>
    public void AddSet(SetKey set, long total, long candidates, long assertions) =>
        _sets.Add([set.Subject, set.Predicate, total, candidates, assertions]);

    /// <summary>Inserts the buffered rows.</summary>
    public void Flush()
    {
        _values.Flush();
        _sets.Flush();
    }

    /// <summary>Drops the buffered rows (their transaction rolls back).</summary>
    public void Discard()
    {
        _values.Discard();
        _sets.Discard();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _exists.Dispose();
        _existRows.Dispose();
        _values.Dispose();
        _sets.Dispose();
    }
}
