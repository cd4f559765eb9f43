namespace StemeQL.Core.Lenses;

/// <summary>
/// Last writer wins: the row is the assertion with the highest LSN. Its support and confidence are
/// those of its object value across the set, as for <see cref="ConsensusLens"/>.
/// </summary>
public sealed class RecencyLens : ILens
{
    /// <summary>The shared instance.</summary>
    public static readonly RecencyLens Instance = new();

    private RecencyLens() { }

    /// <inheritdoc />
    public string Name => LensNames.Recency;

    /// <inheritdoc />
    public LensResolution Resolve(IReadOnlyList<LensCandidate> candidates)
    {
        if (candidates.Count == 0) throw new ArgumentException("A candidate set is never empty.", nameof(candidates));
        var latest = candidates.MaxBy(c => c.Lsn)!;
        var values = ValueSupport.Of(candidates);
        long total = values.Sum(v => v.SupportUnits);
        long support = values.First(v => v.Object == latest.Object).SupportUnits;
        return new LensResolution(latest, support, total, values.Count);
    }
}
