using StemeQL.Core.Model;

namespace StemeQL.Core.Lenses;

/// <summary>
/// One assertion of a candidate set as a lens sees it: its object, its LSN and the support behind it
/// (its own confidence plus the current vote of every agent that voted on it), in fixed-point units.
/// </summary>
public sealed record LensCandidate(ContentHash Hash, StemeValue Object, long Lsn, long SupportUnits);

/// <summary>What a lens resolves one candidate set (subject, predicate) to.</summary>
/// <param name="Winner">The assertion the lens returns as the row.</param>
/// <param name="SupportUnits">Summed weight behind the winner's object value, in fixed-point units.</param>
/// <param name="TotalUnits">Summed weight behind every value of the set, in fixed-point units.</param>
/// <param name="Candidates">The number of distinct object values competing.</param>
public sealed record LensResolution(LensCandidate Winner, long SupportUnits, long TotalUnits, int Candidates)
{
    /// <summary>The winner's share of all support, in [0, 1]; 0 when there is no support at all.</summary>
    public double Confidence => TotalUnits == 0 ? 0.0 : (double)SupportUnits / TotalUnits;

    /// <summary>Summed weight behind the winner's value.</summary>
    public double Support => Weights.FromUnits(SupportUnits);
}
