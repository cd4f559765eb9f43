namespace StemeQL.Core.Lenses;

/// <summary>
/// The object value with the greatest total support wins; ties go to the value asserted first
/// (lowest LSN). The row is the first assertion of the winning value; its confidence is the value's
/// share of all support in the set. Its fold keeps the winner and its support, and reads the whole
/// set again only when the winner's own support fell.
/// </summary>
public sealed class ConsensusLens : ILens, ILensFold
{
    /// <summary>The shared instance.</summary>
    public static readonly ConsensusLens Instance = new();

    private ConsensusLens() { }

    /// <inheritdoc />
    public string Name => LensNames.Consensus;

    /// <inheritdoc />
    public ILensFold Fold => this;

    /// <inheritdoc />
    public LensResolution Resolve(IReadOnlyList<LensCandidate> candidates)
    {
        var values = ValueSupport.Of(candidates);
        if (values.Count == 0) throw new ArgumentException("A candidate set is never empty.", nameof(candidates));
        var best = values[0];
        long total = 0;
        foreach (var value in values)
        {
            total += value.SupportUnits;
            if (Beats(value.Tally, best.Tally)) best = value;
        }
        return new LensResolution(best.First, best.SupportUnits, total, values.Count);
    }

    /// <summary>The consensus ranking: more support, then the value asserted first.</summary>
    public static bool Beats(ValueTally a, ValueTally b) =>
        a.SupportUnits > b.SupportUnits || (a.SupportUnits == b.SupportUnits && a.FirstLsn < b.FirstLsn);

    /// <inheritdoc />
    public bool Affects(SetChange change) => change.Values.Count > 0;

    /// <inheritdoc />
    public LensState? Apply(LensState? before, SetChange change, ISetValues values)
    {
        ValueTally best;
        if (before is null)
        {
            // A new set: the change holds every value.
            best = Best(change.Values, start: null);
        }
        else
        {
            best = new ValueTally(before.WinnerLsn, before.Tally);
            bool winnerFell = false;
            foreach (var value in change.Values)
            {
                if (value.FirstLsn != best.FirstLsn) continue;
                winnerFell = value.After < value.Before;
                best = value.Tally;
            }
            // Values the batch did not touch were beaten by the old winner; while it did not fall, they still are.
            best = winnerFell ? Best(values.Of(change.Set)) : Best(change.Values, start: best);
        }
        return before is not null && before.WinnerLsn == best.FirstLsn && before.Tally == best.SupportUnits
            ? null
            : new LensState(best.FirstLsn, best.SupportUnits);
    }

    // The best of the changes' tallies and start. Indexed, not through LINQ: the fold runs for every set of every batch.
    private static ValueTally Best(IReadOnlyList<ValueChange> changes, ValueTally? start)
    {
        ValueTally? best = start;
        for (int i = 0; i < changes.Count; i++)
        {
            var tally = changes[i].Tally;
            if (best is not { } b || Beats(tally, b)) best = tally;
        }
        return best ?? throw new ArgumentException("A candidate set is never empty.", nameof(changes));
    }

    private static ValueTally Best(IEnumerable<ValueTally> tallies)
    {
        ValueTally? best = null;
        foreach (var tally in tallies)
            if (best is not { } b || Beats(tally, b)) best = tally;
        return best ?? throw new ArgumentException("A candidate set is never empty.", nameof(tallies));
    }
}
