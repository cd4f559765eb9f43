using StemeQL.Core.Lenses;
using StemeQL.Core.Model;

namespace StemeQL.Storage.Embedded;

/// <summary>
/// What one materialize batch holds in memory about the candidate sets it creates: its new assertions (by LSN),
/// the support of the values it created and the totals of the sets it created. With them the view row
/// (<see cref="WinnerTable"/>) of a new set is written as it stands, one insert, instead of being re-read from
/// four tables it has just written: a new set's winner, values and total are all in the batch. Any other row
/// (a set that existed before the batch, the integrity check's fold, a lens being built) is refreshed from the
/// tables as before. Filled by the applier and the support port, read by the lens state table at flush, cleared
/// after every batch (committed or not).
/// </summary>
internal sealed class NewSetRows
{
    private readonly Dictionary<long, (Assertion Assertion, long Ticks, ValueKey Value)> _assertions = [];
    private readonly Dictionary<ValueKey, long> _valueSupport = [];
    private readonly Dictionary<SetKey, (long Total, long Candidates)> _sets = [];
    private readonly HashSet<SetKey> _assertedSets = [];
    private readonly List<SetKey> _assertedSetList = [];

    /// <summary>The distinct sets the batch asserts into, in the order first seen.</summary>
    public IReadOnlyList<SetKey> AssertedSets => _assertedSetList;

    /// <summary>Which of <see cref="AssertedSets"/> existed before the batch, once asked (see <see cref="SetRowWrites"/>).</summary>
    public HashSet<SetKey>? Existing { get; set; }

    /// <summary>True when the batch asserts into <paramref name="set"/>.</summary>
    public bool AssertsInto(SetKey set) => _assertedSets.Contains(set);

    /// <summary>The batch asserts <paramref name="assertion"/> at <paramref name="lsn"/>, written at <paramref name="ticks"/>.</summary>
    public void Asserted(Assertion assertion, long lsn, long ticks, ValueKey value)
    {
        _assertions[lsn] = (assertion, ticks, value);
        if (_assertedSets.Add(value.Set)) _assertedSetList.Add(value.Set);
    }

    /// <summary>The values the batch asserts (a value once per assertion of it).</summary>
    public IEnumerable<ValueKey> AssertedValues => _assertions.Values.Select(a => a.Value);

    /// <summary>True when the batch asserts the assertion at <paramref name="lsn"/>.</summary>
    public bool AssertedAt(long lsn) => _assertions.ContainsKey(lsn);

    /// <summary>The batch created <paramref name="value"/> with <paramref name="support"/> units.</summary>
    public void ValueCreated(ValueKey value, long support) => _valueSupport[value] = support;

    /// <summary>The batch created <paramref name="set"/>, with this total support and distinct values.</summary>
    public void SetCreated(SetKey set, long total, long candidates) => _sets[set] = (total, candidates);

    /// <summary>
    /// The whole view row of <paramref name="lens"/> for a set the batch created, whose state is <paramref name="state"/>;
    /// false when the batch did not create the set or does not hold all of the row (then it is refreshed from the tables).
    /// </summary>
    public bool TryGetRow(string lens, SetKey set, LensState state, out WinnerRow row)
    {
        row = default;
        if (!_sets.TryGetValue(set, out var totals)
            || !_assertions.TryGetValue(state.WinnerLsn, out var winner)
            || !_valueSupport.TryGetValue(winner.Value, out long support)
            || !WinnerTable.TryCopyObject(winner.Value.Object, out var copied)) return false;
        row = new WinnerRow(lens, set, state, winner.Assertion, winner.Value.ObjectType, copied, winner.Ticks, support, totals.Total, totals.Candidates);
        return true;
    }

    /// <summary>Forgets the batch.</summary>
    public void Clear()
    {
        _assertions.Clear();
        _valueSupport.Clear();
        _sets.Clear();
        _assertedSets.Clear();
        _assertedSetList.Clear();
        Existing = null;
    }
}
