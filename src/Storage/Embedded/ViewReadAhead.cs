using Microsoft.Data.Sqlite;
using StemeQL.Core.Lenses;

namespace StemeQL.Storage.Embedded;

/// <summary>
/// Reads, <see cref="MultiRowInsert.RowsPerStatement"/> keys per statement, the rows a materialize batch is about to
/// update in sets that already exist: the values its votes' targets state, those values' and the asserted values'
/// <c>mv_value</c> rows, their sets' <c>mv_set</c> rows, and (at a lens's first state read) each such set's state of
/// that lens. The fold then asks for them one at a time, as the ports require, and gets them from memory instead of
/// a statement each; the new totals go back through <see cref="SetRowWrites"/> as multi-row upserts. A batch with many
/// targets spread over many sets had paid those statements per set. A kind with fewer keys than one statement holds
/// (a few writers' single writes) is not read ahead: its keys keep the statement per row they had.
/// Each fold step asks once per key and batch; the memory is cleared after every batch (committed or not).
/// </summary>
internal sealed class ViewReadAhead : IDisposable
{
    private const int MinKeys = MultiRowInsert.RowsPerStatement;

    private static readonly (string Table, string[] Key, string Columns)[] Lookups =
    [
        ("main.assertions", ["lsn"], "subject, predicate, object_type, object"),
        ("mv_value", ["subject", "predicate", "object_type", "object"], "support_units, first_lsn"),
        ("mv_set", ["subject", "predicate"], "total_units, candidates, assertion_count"),
        ("mv_winner", ["lens", "subject", "predicate"], WinnerTable.StateColumnList),
    ];

    /// <summary>The lookups of <see cref="MultiRowInsert.RowsPerStatement"/> keys (exposed so tests can check their plans).</summary>
    public static IEnumerable<string> Statements => Lookups.Select(l => KeyedRowLookup.Statements(l.Table, l.Key, l.Columns).Many);

    private readonly KeyedRowLookup _targets;
    private readonly KeyedRowLookup _values;
    private readonly KeyedRowLookup _sets;
    private readonly KeyedRowLookup _states;

    // What was read, and which keys were asked (a key asked and not read is absent).
    private readonly Dictionary<long, ValueKey> _targetValues = [];
    private readonly Dictionary<ValueKey, (long Support, long FirstLsn)?> _valueRows = [];
    private readonly Dictionary<SetKey, (long Total, long Candidates, long Assertions)?> _setRows = [];
    private readonly List<SetKey> _existingSets = [];
    // The values of each set read ahead that have rows (read, or created through ValueWritten): when they are all of
    // the set's candidates, the set's values are known without reading mv_value (see TryValuesOf).
    private readonly Dictionary<SetKey, List<ValueKey>> _setValues = [];
    private readonly Dictionary<(string Lens, SetKey Set), LensState?> _stateRows = [];
    private readonly HashSet<string> _lensesRead = new(StringComparer.Ordinal);

    /// <summary>Prepares the lookups on the writer's connection.</summary>
    public ViewReadAhead(SqliteConnection connection)
    {
        var lookups = Lookups.Select(l => new KeyedRowLookup(connection, l.Table, l.Key, l.Columns)).ToArray();
        (_targets, _values, _sets, _states) = (lookups[0], lookups[1], lookups[2], lookups[3]);
    }

    /// <summary>
    /// Reads ahead the values stated at <paramref name="targetLsns"/> (distinct vote targets the batch did not assert),
    /// then the rows of those values and of <paramref name="assertedValues"/> (distinct), and of their sets, leaving out
    /// the sets <paramref name="isNew"/> says the batch creates (they have no rows yet).
    /// </summary>
    public void Read(IReadOnlyList<long> targetLsns, IEnumerable<ValueKey> assertedValues, Func<SetKey, bool> isNew)
    {
        if (targetLsns.Count >= MinKeys)
        {
            foreach (var (position, found) in _targets.Find(targetLsns.Count, (i, key) => key[0] = targetLsns[i]))
            {
                var row = (object?[])found!;
                // An empty byte string may read back as NULL; the views bind it as the same empty blob.
                _targetValues[targetLsns[position]] = new ValueKey((string)row[0]!, (string)row[1]!, (long)row[2]!, row[3] ?? Array.Empty<byte>());
            }
        }
        // The values of new sets left out as they come, not added and removed: where the batch creates sets, they are most.
        var values = new HashSet<ValueKey>();
        foreach (var value in assertedValues.Concat(_targetValues.Values))
        {
            if (!isNew(value.Set)) values.Add(value);
        }
        // Each kind in its table's key order (see KeyOrder); the sets too, and with them each lens's states.
        var sorted = values.ToList();
        sorted.Sort(KeyOrder.Compare);
        if (values.Count >= MinKeys) ReadValues(sorted);
        var sets = sorted.Select(v => v.Set).Distinct().ToList();
        if (sets.Count >= MinKeys) ReadSets(sets);
    }

    private void ReadValues(List<ValueKey> values)
    {
        foreach (var value in values) _valueRows[value] = null;
        foreach (var (position, found) in _values.Find(values.Count, (i, key) =>
                     (key[0], key[1], key[2], key[3]) = (values[i].Subject, values[i].Predicate, values[i].ObjectType, values[i].Object)))
        {
            var row = (object?[])found!;
            _valueRows[values[position]] = ((long)row[0]!, (long)row[1]!);
            ValuesOf(values[position].Set).Add(values[position]);
        }
    }

    private void ReadSets(List<SetKey> sets)
    {
        foreach (var set in sets) _setRows[set] = null;
        foreach (var (position, found) in _sets.Find(sets.Count, (i, key) => (key[0], key[1]) = (sets[i].Subject, sets[i].Predicate)))
        {
            var row = (object?[])found!;
            _setRows[sets[position]] = ((long)row[0]!, (long)row[1]!, (long)row[2]!);
            _existingSets.Add(sets[position]);
        }
    }

    /// <summary>The value stated by the assertion at <paramref name="lsn"/>, if it was read ahead.</summary>
    public bool TryTargetValue(long lsn, out ValueKey value) => _targetValues.TryGetValue(lsn, out value);

    /// <summary>True when <paramref name="value"/>'s row was read ahead; <paramref name="row"/> is null when it has none.</summary>
    public bool TryValue(ValueKey value, out (long Support, long FirstLsn)? row) => _valueRows.TryGetValue(value, out row);

    /// <summary>A value row read ahead now holds <paramref name="support"/> (written through <see cref="SetRowWrites"/>).</summary>
    public void ValueWritten(ValueKey value, long support, long firstLsn)
    {
        if (_valueRows.TryGetValue(value, out var before) && before is null) ValuesOf(value.Set).Add(value);
        _valueRows[value] = (support, firstLsn);
    }

    private List<ValueKey> ValuesOf(SetKey set)
    {
        if (!_setValues.TryGetValue(set, out var values)) _setValues[set] = values = [];
        return values;
    }

    /// <summary>
    /// Every value of <paramref name="set"/> with its support and first LSN as the batch leaves them, when the set was
    /// read ahead and each of its candidates was read ahead or created since; else false (the table answers). The
    /// consensus fold reads a whole set when its winner's support falls, which at many sets was a statement per vote.
    /// </summary>
    public bool TryValuesOf(SetKey set, out List<ValueTally> tallies)
    {
        tallies = [];
        if (!_setRows.TryGetValue(set, out var row) || row is not { } totals || !_setValues.TryGetValue(set, out var values)
            || values.Count != totals.Candidates) return false;
        foreach (var value in values)
        {
            var (support, first) = _valueRows[value]!.Value;
            tallies.Add(new ValueTally(first, support));
        }
        return true;
    }

    /// <summary>A set row read ahead now holds these totals (written through <see cref="SetRowWrites"/>).</summary>
    public void SetWritten(SetKey set, long total, long candidates, long assertions) => _setRows[set] = (total, candidates, assertions);

    /// <summary>True when <paramref name="set"/>'s row was read ahead; <paramref name="row"/> is null when it has none.</summary>
    public bool TrySet(SetKey set, out (long Total, long Candidates, long Assertions)? row) => _setRows.TryGetValue(set, out row);

    /// <summary>
    /// True when the state of <paramref name="lens"/> for <paramref name="set"/> is known from reading ahead (null when
    /// there is none). The first ask for a lens reads its states of every existing set read ahead.
    /// </summary>
    public bool TryState(string lens, SetKey set, out LensState? state)
    {
        state = null;
        if (_existingSets.Count < MinKeys) return false;
        if (_lensesRead.Add(lens)) ReadStates(lens);
        return _stateRows.TryGetValue((lens, set), out state);
    }

    private void ReadStates(string lens)
    {
        foreach (var set in _existingSets) _stateRows[(lens, set)] = null;
        foreach (var (position, found) in _states.Find(_existingSets.Count, (i, key) =>
                     (key[0], key[1], key[2]) = (lens, _existingSets[i].Subject, _existingSets[i].Predicate)))
        {
            var row = (object?[])found!;
            _stateRows[(lens, _existingSets[position])] = WinnerTable.StateOf(row);
        }
    }

    /// <summary>The state of <paramref name="lens"/> for <paramref name="set"/> was written: the table answers from now on.</summary>
    public void StateWritten(string lens, SetKey set)
    {
        // Most batches that write many states create their sets, and read none ahead: no key to hash then.
        if (_stateRows.Count > 0) _stateRows.Remove((lens, set));
    }

    /// <summary>Forgets the batch.</summary>
    public void Clear()
    {
        _targetValues.Clear();
        _valueRows.Clear();
        _setRows.Clear();
        _existingSets.Clear();
        _setValues.Clear();
        _stateRows.Clear();
        _lensesRead.Clear();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _targets.Dispose();
        _values.Dispose();
        _sets.Dispose();
        _states.Dispose();
    }
}
