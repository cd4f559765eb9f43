namespace StemeQL.Core.Lenses;

/// <summary>
/// The object value with the greatest total support wins; ties go to the value asserted first
/// (lowest LSN). The row is the first assertion of the winning value; its confidence is the value's
/// share of all support in the set.
/// </summary>
public sealed class ConsensusLens : ILens
{
    /// <summary>The shared instance.</summary>
    public static readonly ConsensusLens Instance = new();

    private ConsensusLens() { }

    /// <inheritdoc />
    public string Name => LensNames.Consensus;

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
            if (Beats(value, best)) best = value;
        }
        return new LensResolution(best.First, best.SupportUnits, total, values.Count);
    }

    /// <summary>The ranking the consensus view's index must reproduce: more support, then earlier.</summary>
    public static bool Beats(ValueSupport a, ValueSupport b) =>
        a.SupportUnits > b.SupportUnits || (a.SupportUnits == b.SupportUnits && a.First.Lsn < b.First.Lsn);
}
