using StemeQL.Core.Model;

namespace StemeQL.Storage.Abstractions;

/// <summary>An assertion as stored: the claim, its LSN and when it was first seen (UTC).</summary>
public sealed record StoredAssertion(Assertion Assertion, long Lsn, DateTime AssertedAt);

/// <summary>A vote as stored, replaced or not.</summary>
public sealed record StoredVote(ContentHash Assertion, string Agent, double Weight, long Lsn, DateTime VotedAt);

/// <summary>
/// One row of a materialized view: the lens winner of a (subject, predicate) set, the support behind
/// its value and behind the whole set (fixed-point units, see <see cref="Weights"/>), and the number
/// of distinct competing values.
/// </summary>
public sealed record ViewRow(StoredAssertion Winner, long SupportUnits, long TotalUnits, int Candidates)
{
    /// <summary>The winner's share of all support, in [0, 1].</summary>
    public double Confidence => TotalUnits == 0 ? 0.0 : (double)SupportUnits / TotalUnits;
}
