using System.Runtime.InteropServices;
using StemeQL.Core.Lenses;

namespace StemeQL.Storage.Embedded;

/// <summary>
/// What one materialize batch's support writes leave in each set it touched, as the support port wrote it: the set's
/// total and candidates (where the path that wrote the set row knew them) and the value whose support moved, when it
/// was the set's only one. With them the view row of a (lens, set) whose winner stayed is rewritten from constants
/// (<see cref="WinnerTable.WriteTallies"/>): its winner's support is the moved value's when the row's winner has that
/// value and unchanged otherwise, where the refresh joined three tables per row. At many sets each vote moves its own
/// set's two view rows, and those joins were the largest share of the ingestor's statements. Filled by
/// <see cref="ViewMaintenance"/>, read by <see cref="LensStateTable"/> at flush, cleared after every batch.
/// </summary>
internal sealed class TouchedSetTallies
{
    private readonly Dictionary<SetKey, (long Total, long Candidates)> _sets = [];
    private readonly Dictionary<SetKey, (ValueKey Value, long Support, bool Alone)> _values = [];

    /// <summary>The batch left <paramref name="value"/> with <paramref name="support"/> units.</summary>
    public void ValueMoved(ValueKey value, long support)
    {
        ref var moved = ref CollectionsMarshal.GetValueRefOrAddDefault(_values, value.Set, out bool another);
        moved = another ? moved with { Alone = false } : (value, support, true);
    }

    /// <summary>The batch left <paramref name="set"/> with this total support and these distinct values.</summary>
    public void SetMoved(SetKey set, long total, long candidates) => _sets[set] = (total, candidates);

    /// <summary>
    /// The tallies of <paramref name="set"/> after the batch, when the batch knows them and moved one value of it whose
    /// object a view row copies whole (so the row's own object tells whether its winner has that value); else false.
    /// </summary>
    public bool TryGet(SetKey set, out SetTallies tallies)
    {
        tallies = default;
        if (!_sets.TryGetValue(set, out var totals) || !_values.TryGetValue(set, out var moved) || !moved.Alone) return false;
        // NULL in the row stands for an object not copied, and an empty byte string may be stored as NULL: neither compares.
        if (!WinnerTable.TryCopyObject(moved.Value.Object, out var copied) || copied is null or byte[] { Length: 0 }) return false;
        tallies = new SetTallies(moved.Value.ObjectType, copied, moved.Support, totals.Total, totals.Candidates);
        return true;
    }

    /// <summary>Forgets the batch.</summary>
    public void Clear()
    {
        _sets.Clear();
        _values.Clear();
    }
}

/// <summary>A touched set's tallies after a batch: its one moved value (type, object as a view row copies it, support), total and candidates.</summary>
internal readonly record struct SetTallies(long ObjectType, object Object, long Support, long Total, long Candidates);
