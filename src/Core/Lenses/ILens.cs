namespace StemeQL.Core.Lenses;

/// <summary>A rule that resolves the competing assertions of one (subject, predicate) to one row.</summary>
public interface ILens
{
    /// <summary>The lens name used in <c>USING LENS</c>.</summary>
    string Name { get; }

    /// <summary>Resolves a non-empty candidate set; O(N) in the candidates.</summary>
    LensResolution Resolve(IReadOnlyList<LensCandidate> candidates);
}
