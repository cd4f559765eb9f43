using StemeQL.Core.Lenses;

namespace StemeQL.Storage.Tests.Support;

/// <summary>
/// A lens that exists only in the tests ("first writer wins": the row is the assertion with the lowest
/// LSN). It is defined once, here, like a Core lens; the embedded store materializes it with no SQL
/// or store code written for it.
/// </summary>
internal sealed class EarliestLens : ILens, ILensFold
{
    public static readonly EarliestLens Instance = new();

    private EarliestLens() { }

    public string Name => "earliest";

    public ILensFold Fold => this;

    public LensResolution Resolve(IReadOnlyList<LensCandidate> candidates) =>
        ValueSupport.ResolveTo(candidates.MinBy(c => c.Lsn)!, candidates);

    // Only a new set can change the first assertion: later ones have higher LSNs.
    public bool Affects(SetChange change) => change.HasNewAssertions;

    public LensState? Apply(LensState? before, SetChange change, ISetValues values) =>
        before is null ? new LensState(change.FirstNewLsn) : null;
}
