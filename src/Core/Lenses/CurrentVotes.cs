using StemeQL.Core.Model;

namespace StemeQL.Core.Lenses;

/// <summary>A vote as history keeps it: who, on what, how much, and when (LSN).</summary>
public sealed record VoteRecord(ContentHash Assertion, string Agent, double Weight, long Lsn);

/// <summary>Folds vote history into the votes that count: an agent's newest vote on an assertion replaces its older ones.</summary>
public static class CurrentVotes
{
    /// <summary>The summed current vote weight per assertion, in fixed-point units.</summary>
    public static Dictionary<ContentHash, long> SupportByAssertion(IEnumerable<VoteRecord> history)
    {
        var latest = new Dictionary<(ContentHash, string), VoteRecord>();
        foreach (var vote in history)
        {
            var key = (vote.Assertion, vote.Agent);
            if (!latest.TryGetValue(key, out var seen) || vote.Lsn > seen.Lsn)
                latest[key] = vote;
        }
        var support = new Dictionary<ContentHash, long>();
        foreach (var vote in latest.Values)
            support[vote.Assertion] = support.GetValueOrDefault(vote.Assertion) + Weights.ToUnits(vote.Weight);
        return support;
    }
}
