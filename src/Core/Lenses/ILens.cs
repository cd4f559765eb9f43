namespace StemeQL.Core.Lenses;

/// <summary>
/// A rule that resolves the competing assertions of one (subject, predicate) to one row. One
/// definition serves both paths: <see cref="Resolve"/> for the O(N) lens scan and, when the lens has
/// one, <see cref="Fold"/> for every backend's materializer.
/// </summary>
public interface ILens
{
    /// <summary>The lens name used in <c>USING LENS</c>.</summary>
    string Name { get; }

    /// <summary>Resolves a non-empty candidate set; O(N) in the candidates.</summary>
    LensResolution Resolve(IReadOnlyList<LensCandidate> candidates);

    /// <summary>The lens's incremental fold, or null when it is evaluated by scan only.</summary>
    ILensFold? Fold { get; }
}
