using System.Runtime.InteropServices;
using StemeQL.Core.Model;

namespace StemeQL.Core.Lenses;

/// <summary>
/// The materializer's rules, for every backend: collects a batch of new assertions and votes (in LSN
/// order), then folds it into the shared support tallies and each lens's state through the ports, so
/// the views equal every lens's O(N) <see cref="ILens.Resolve"/>. Per batch, each (assertion, agent)
/// vote pair costs one replace however often it voted, each touched value one update, each touched
/// set one update plus one state read (and a write when it moved) per lens the change affects. The
/// sums are exact integers, so the result does not depend on how events are grouped into batches.
/// </summary>
/// <typeparam name="TValue">The backend's value key.</typeparam>
public sealed class ViewFold<TValue>(ISupportStore<TValue> support, ILensStateStore states, IReadOnlyList<ILens> lenses)
    where TValue : struct, IValueKey, IEquatable<TValue>
{
    private readonly Dictionary<ContentHash, TValue> _asserted = [];
    private readonly Dictionary<TValue, PendingValue> _values = [];
    private readonly Dictionary<SetKey, PendingSet> _sets = [];
    private readonly Dictionary<(ContentHash Assertion, string Agent), (long Units, long Lsn)> _votes = [];
    // Each set's value changes in the batch being flushed; kept from batch to batch, so it does not grow again each time.
    private readonly Dictionary<SetKey, List<ValueChange>> _changes = [];
    private readonly ILensFold[] _folds = [.. lenses.Select(l => l.Fold ?? throw new ArgumentException($"The lens '{l.Name}' has no fold to materialize.", nameof(lenses)))];
    private readonly string[] _names = [.. lenses.Select(l => l.Name)];
    // Reused from batch to batch: the votes handed to the backend, their values, and what each replaced.
    private readonly List<CurrentVote> _replaced = [];
    private readonly List<TValue> _replacedValues = [];
    private long[] _previous = [];

    /// <summary>A new assertion of <paramref name="value"/> with its own confidence as <paramref name="units"/>.</summary>
    public void Assert(ContentHash hash, TValue value, long units, long lsn)
    {
        _asserted[hash] = value;
        ref var pending = ref CollectionsMarshal.GetValueRefOrAddDefault(_values, value, out bool seen);
        pending.Delta += units;
        if (!seen) pending.FirstLsn = lsn;
        ref var set = ref CollectionsMarshal.GetValueRefOrAddDefault(_sets, value.Set, out bool setSeen);
        if (!setSeen) set.FirstLsn = lsn;
        set.LastLsn = lsn;
        set.Assertions++;
    }

    /// <summary>A vote; only each agent's newest vote per assertion in the batch counts.</summary>
    public void Vote(ContentHash assertion, string agent, long units, long lsn)
    {
        // One lookup: most votes of a batch are the first of their (assertion, agent).
        ref var seen = ref CollectionsMarshal.GetValueRefOrAddDefault(_votes, (assertion, agent), out bool exists);
        if (!exists || lsn > seen.Lsn) seen = (units, lsn);
    }

    /// <summary>
    /// Builds the state of each of <paramref name="lenses"/> for a whole stored set from its value tallies:
    /// the set as one change to no state (the first and last LSN are those of the set's assertions). This
    /// is how a lens the backend did not materialize before starts, with no code of its own. The caller
    /// calls the state store's <see cref="ILensStateStore.Flush"/> once it has seeded every set.
    /// </summary>
    public void Seed(IReadOnlyList<ILens> lenses, SetKey set, long firstLsn, long lastLsn)
    {
        var values = support.Of(set).Select(v => new ValueChange(v.FirstLsn, 0, v.SupportUnits, IsNew: true)).ToList();
        if (values.Count == 0) return;
        var change = new SetChange(set, values, firstLsn, lastLsn);
        foreach (var lens in lenses)
        {
            var fold = lens.Fold ?? throw new ArgumentException($"The lens '{lens.Name}' has no fold to materialize.", nameof(lenses));
            if (fold.Apply(null, change, support) is not { } state) continue;
            states.Write(lens.Name, set, state);
            states.Touched(lens.Name, set);
        }
    }

    /// <summary>Forgets the events collected since the last flush (their transaction was rolled back).</summary>
    public void Discard()
    {
        states.Discard();
        _asserted.Clear();
        _values.Clear();
        _sets.Clear();
        _votes.Clear();
        _changes.Clear();
        _replaced.Clear();
        _replacedValues.Clear();
    }

    /// <summary>
    /// Folds the collected batch through the ports and starts a new one; returns how many lens states
    /// moved. A vote on an assertion the backend does not hold goes to <paramref name="orphan"/>
    /// (and changes nothing), or is an error when there is none.
    /// </summary>
    public int Flush(Action<ContentHash, long>? orphan = null)
    {
        try
        {
            FoldVotes(orphan);
            var changes = FoldValues();
            int moved = FoldSets(changes);
            states.Flush();
            return moved;
        }
        finally
        {
            Discard();
        }
    }

    // Resolves each vote's value first, then hands the backend every vote of the batch at once (one or
    // a few statements instead of a read and a write per vote), then moves the values by the differences.
    private void FoldVotes(Action<ContentHash, long>? orphan)
    {
        _replaced.Clear();
        _replacedValues.Clear();
        foreach (var ((assertion, agent), (units, lsn)) in _votes)
        {
            if (!_asserted.TryGetValue(assertion, out var value))
            {
                if (support.ValueOf(assertion) is not { } stored)
                {
                    if (orphan is null) throw new InvalidOperationException($"A vote at LSN {lsn} is on {assertion}, which the store does not hold.");
                    orphan(assertion, lsn);
                    continue;
                }
                _asserted[assertion] = value = stored;
            }
            _replaced.Add(new CurrentVote(assertion, agent, units, lsn));
            _replacedValues.Add(value);
        }
        if (_replaced.Count == 0) return;
        if (_previous.Length < _replaced.Count) _previous = new long[Math.Max(_replaced.Count, _previous.Length * 2)];
        var previous = _previous.AsSpan(0, _replaced.Count);
        support.ReplaceVotes(_replaced, previous);
        for (int i = 0; i < previous.Length; i++)
        {
            long delta = _replaced[i].Units - previous[i];
            if (delta != 0) CollectionsMarshal.GetValueRefOrAddDefault(_values, _replacedValues[i], out _).Delta += delta;
        }
    }

    private Dictionary<SetKey, List<ValueChange>> FoldValues()
    {
        foreach (var (value, pending) in _values)
        {
            var change = support.AddToValue(value, pending.Delta, pending.FirstLsn);
            // One lookup; most sets move one value in a batch, so each list starts with room for one.
            ref var list = ref CollectionsMarshal.GetValueRefOrAddDefault(_changes, value.Set, out _);
            (list ??= new List<ValueChange>(1)).Add(change);
        }
        return _changes;
    }

    private int FoldSets(Dictionary<SetKey, List<ValueChange>> changes)
    {
        int moved = 0;
        foreach (var (set, values) in changes)
        {
            _sets.TryGetValue(set, out var added);
            long total = 0;
            int newValues = 0;
            foreach (var value in values)
            {
                total += value.After - value.Before;
                if (value.IsNew) newValues++;
            }
            bool created = support.AddToSet(set, total, newValues, added.Assertions);
            var change = new SetChange(set, values, added.FirstLsn, added.LastLsn);
            for (int i = 0; i < _folds.Length; i++)
            {
                // The view row moves with the set's total even where the lens's state does not.
                states.Touched(_names[i], set);
                if (!_folds[i].Affects(change)) continue;
                // A set this batch created has no state yet: skip the read (one statement per lens per new set).
                var before = created ? null : states.Read(_names[i], set);
                if (_folds[i].Apply(before, change, support) is not { } after) continue;
                states.Write(_names[i], set, after);
                moved++;
            }
        }
        return moved;
    }

    private struct PendingValue
    {
        public long Delta;
        public long FirstLsn;
    }

    private struct PendingSet
    {
        public long FirstLsn;
        public long LastLsn;
        public int Assertions;
    }
}
