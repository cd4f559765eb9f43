using StemeQL.Core.Lenses;
using StemeQL.Core.Model;

namespace StemeQL.Core.Tests;

/// <summary>The lenses on hand-worked examples (docs/lenses.md works the same numbers).</summary>
public sealed class LensTests
{
    private static readonly ContentHash[] Hashes = Enumerable.Range(0, 10)
        .Select(i => new Assertion("h", "p", StemeValue.Integer(i), "", "x").Hash).ToArray();

    private static LensCandidate Candidate(int id, string value, long lsn, double support) =>
        new(Hashes[id], StemeValue.Text(value), lsn, Weights.ToUnits(support));

    [Fact]
    public void Consensus_picks_the_value_with_most_support_and_reports_its_share()
    {
        // paris: alice and bob say france, carol says germany.
        var result = ConsensusLens.Instance.Resolve([Candidate(0, "france", 1, 1), Candidate(1, "france", 2, 1), Candidate(2, "germany", 3, 1)]);
        Assert.Equal(Hashes[0], result.Winner.Hash);
        Assert.Equal(2.0 / 3.0, result.Confidence, 12);
        Assert.Equal(2.0, result.Support);
        Assert.Equal(2, result.Candidates);
    }

    [Fact]
    public void Consensus_counts_votes_with_the_assertion()
    {
        // germany gets votes 1.0 + 1.0 + 0.5 on top of carol's 1.0: 3.5 of 5.5.
        var result = ConsensusLens.Instance.Resolve([Candidate(0, "france", 1, 1), Candidate(1, "france", 2, 1), Candidate(2, "germany", 3, 3.5)]);
        Assert.Equal(Hashes[2], result.Winner.Hash);
        Assert.Equal(0.636, Math.Round(result.Confidence, 3));
        Assert.Equal(3.5, result.Support);
    }

    [Fact]
    public void Consensus_breaks_ties_by_the_value_asserted_first()
    {
        var result = ConsensusLens.Instance.Resolve([Candidate(0, "b", 5, 0.5), Candidate(1, "a", 7, 0.25), Candidate(2, "a", 8, 0.25)]);
        Assert.Equal(Hashes[0], result.Winner.Hash);
        Assert.Equal(0.5, result.Confidence);
    }

    [Fact]
    public void Consensus_of_zero_support_has_zero_confidence()
    {
        var result = ConsensusLens.Instance.Resolve([Candidate(0, "a", 1, 0)]);
        Assert.Equal(0.0, result.Confidence);
        Assert.Equal(1, result.Candidates);
    }

    [Fact]
    public void Recency_picks_the_newest_assertion_with_its_value_support()
    {
        var result = RecencyLens.Instance.Resolve([Candidate(0, "france", 1, 1), Candidate(1, "germany", 3, 1), Candidate(2, "france", 2, 1)]);
        Assert.Equal(Hashes[1], result.Winner.Hash);
        Assert.Equal(1.0 / 3.0, result.Confidence, 12);
        Assert.Equal(2, result.Candidates);
    }

    [Fact]
    public void Current_votes_keep_each_agents_newest_vote()
    {
        var votes = new[]
        {
            new VoteRecord(Hashes[0], "frank", 0.1, 10),
            new VoteRecord(Hashes[0], "frank", 0.5, 12),
            new VoteRecord(Hashes[0], "dave", 1.0, 11),
            new VoteRecord(Hashes[1], "frank", 0.3, 13),
        };
        var support = CurrentVotes.SupportByAssertion(votes.Reverse());
        Assert.Equal(Weights.ToUnits(1.5), support[Hashes[0]]);
        Assert.Equal(Weights.ToUnits(0.3), support[Hashes[1]]);
    }
}
