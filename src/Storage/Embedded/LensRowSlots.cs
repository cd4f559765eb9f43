using System.Runtime.InteropServices;
using StemeQL.Core.Lenses;

namespace StemeQL.Storage.Embedded;

/// <summary>
/// The (lens, set) rows of <c>mv_winner</c> a batch touched, for <see cref="LensStateTable"/>: each set gets a slot once
/// and each lens an index (a fold passes the same few names), so a (lens, set) is found with one lookup by set, where a
/// dictionary keyed by (lens, subject, predicate) hashed and compared three strings each time, several times per set.
/// </summary>
internal sealed class LensRowSlots
{
    private readonly List<string> _lenses = [];
    private readonly List<Entry[]> _entries = []; // per lens, by slot
    private readonly Dictionary<SetKey, int> _slots = [];
    private readonly List<SetKey> _sets = [];
    private int[] _order = [];

    /// <summary>What the batch holds about one (lens, set) row.</summary>
    public struct Entry
    {
        /// <summary>The row is to be rewritten at the flush.</summary>
        public bool Touched;

        /// <summary>The state the fold wrote, or null when it wrote none.</summary>
        public LensState? Pending;

        /// <summary>The winner LSN of the state the fold read (0 when it read none: an LSN is never 0).</summary>
        public long WinnerRead;
    }

    /// <summary>How many rows have a pending state.</summary>
    public int PendingCount { get; private set; }

    /// <summary>How many rows are touched.</summary>
    public int TouchedCount { get; private set; }

    /// <summary>The entry of (<paramref name="lens"/>, <paramref name="set"/>), made empty the first time.</summary>
    public ref Entry At(string lens, SetKey set)
    {
        ref int slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_slots, set, out bool exists);
        if (!exists)
        {
            slot = _sets.Count;
            _sets.Add(set);
        }
        var entries = EntriesOf(LensIndex(lens), slot + 1);
        return ref entries[slot];
    }

    /// <summary>The entry of (<paramref name="lens"/>, <paramref name="set"/>), if the batch has one.</summary>
    public bool TryGet(string lens, SetKey set, out Entry entry)
    {
        entry = default;
        if (!_slots.TryGetValue(set, out int slot)) return false;
        int lensIndex = _lenses.IndexOf(lens);
        if (lensIndex < 0 || slot >= _entries[lensIndex].Length) return false;
        entry = _entries[lensIndex][slot];
        return true;
    }

    /// <summary>Marks the row touched.</summary>
    public void Touch(ref Entry entry)
    {
        if (entry.Touched) return;
        entry.Touched = true;
        TouchedCount++;
    }

    /// <summary>Holds <paramref name="state"/> as the row's pending state (and marks the row touched).</summary>
    public void Hold(ref Entry entry, LensState state)
    {
        if (entry.Pending is null) PendingCount++;
        entry.Pending = state;
        Touch(ref entry);
    }

    /// <summary>Calls <paramref name="write"/> for each touched row in <c>mv_winner</c>'s key order (lens, subject, predicate: see <see cref="KeyOrder"/>).</summary>
    public void ForEachTouched(Action<string, SetKey, Entry> write)
    {
        int sets = _sets.Count;
        if (_order.Length < sets) _order = new int[Math.Max(sets, _order.Length * 2)];
        for (int i = 0; i < sets; i++) _order[i] = i;
        Array.Sort(_order, 0, sets, Comparer<int>.Create((a, b) => KeyOrder.Compare(_sets[a], _sets[b])));
        var lenses = Enumerable.Range(0, _lenses.Count).OrderBy(l => _lenses[l], StringComparer.Ordinal);
        foreach (int lens in lenses)
        {
            var entries = _entries[lens];
            for (int i = 0; i < sets; i++)
            {
                int slot = _order[i];
                if (slot < entries.Length && entries[slot].Touched) write(_lenses[lens], _sets[slot], entries[slot]);
            }
        }
    }

    /// <summary>Forgets the batch (keeping the memory for the next).</summary>
    public void Clear()
    {
        foreach (var entries in _entries) Array.Clear(entries, 0, Math.Min(entries.Length, _sets.Count));
        _slots.Clear();
        _sets.Clear();
        PendingCount = 0;
        TouchedCount = 0;
    }

    // The few lenses are compared by reference first: the fold passes the same name strings every time.
    private int LensIndex(string lens)
    {
        for (int i = 0; i < _lenses.Count; i++)
        {
            if (ReferenceEquals(_lenses[i], lens) || string.Equals(_lenses[i], lens, StringComparison.Ordinal)) return i;
        }
        _lenses.Add(lens);
        _entries.Add([]);
        return _lenses.Count - 1;
    }

    // The lens's entries, grown to hold at least `slots` slots.
    private Entry[] EntriesOf(int lens, int slots)
    {
        var entries = _entries[lens];
        if (entries.Length >= slots) return entries;
        Array.Resize(ref entries, Math.Max(slots, Math.Max(16, entries.Length * 2)));
        _entries[lens] = entries;
        return entries;
    }
}
