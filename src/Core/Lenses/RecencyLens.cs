namespace StemeQL.Core.Lenses;

/// <summary>
/// Last writer wins: the row is the assertion with the highest LSN. Its support and confidence are
/// those of its object value across the set, as for <see cref="ConsensusLens"/>. Votes never move
/// the row, so its fold looks only at new assertions.
/// </summary>
public sealed class RecencyLens : ILens, ILensFold
{
    /// <summary>The shared instance.</summary>
    public static readonly RecencyLens Instance = new();

    private RecencyLens() { }

    /// <inheritdoc />
    public string Name => LensNames.Recency;

    /// <inheritdoc />
    public ILensFold Fold => this;

    /// <inheritdoc />
    public LensResolution Resolve(IReadOnlyList<LensCandidate> candidates)
    {
        if (candidates.Count == 0) throw new ArgumentException("A candidate set is never empty.", nameof(candidates));
        var latest = candidates.MaxBy(c => c.Lsn)!;
        return ValueSupport.ResolveTo(latest, candidates);
    }

    /// <inheritdoc />
    public bool Affects(SetChange change) => change.HasNewAssertions;

    /// <inheritdoc />
    public LensState? Apply(LensState? before, SetChange change, ISetValues values) =>
        before is null || change.LastNewLsn > before.WinnerLsn ? new LensState(change.LastNewLsn) : null;
}
