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
    private static readonly string[] SetKeyColumns = ["subject", "predicate"];
    private static readonly string[] ValueColumns = ["subject", "predicate", "object_type", "object", "support_units", "first_lsn"];
    private static readonly string[] SetColumns = ["subject", "predicate", "total_units", "candidates", "assertion_count"];

    private static readonly (string One, string Many) ExistStatements = KeyedRowLookup.Statements("mv_set", SetKeyColumns, column: null);

    /// <summary>Whether one set exists.</summary>
    public static string ExistsSql => ExistStatements.One;

    /// <summary>Which of <see cref="MultiRowInsert.RowsPerStatement"/> sets exist, by position (exposed so tests can check its plan).</summary>
    public static string ExistRowsSql => ExistStatements.Many;

    private readonly KeyedRowLookup _exists;
    private readonly MultiRowInsert _values;
    private readonly MultiRowInsert _sets;

    /// <summary>Prepares the statements on the writer's connection.</summary>
    public NewSetWrites(SqliteConnection connection)
    {
        _exists = new KeyedRowLookup(connection, "mv_set", SetKeyColumns, column: null);
        _values = new MultiRowInsert(connection, "mv_value", ValueColumns);
        _sets = new MultiRowInsert(connection, "mv_set", SetColumns);
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
        _values.Dispose();
        _sets.Dispose();
    }
}
