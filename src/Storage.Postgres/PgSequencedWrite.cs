using StemeQL.Core.Model;
using StemeQL.Storage.Abstractions;

namespace StemeQL.Storage.Postgres;

/// <summary>
/// One write being sequenced under the clock lock: each operation is checked by <see cref="WriteRules"/> against the
/// stored assertions (looked up in the lock's round trip) and those earlier in the write, and given the next LSN.
/// Nothing is inserted until the whole write has passed.
/// </summary>
internal sealed class PgSequencedWrite(PgStoredAssertions stored, long lastLsn) : IKnownAssertions
{
    private readonly Dictionary<ContentHash, long> _new = [];

    public long LastLsn { get; private set; } = lastLsn;

    /// <summary>The assertions this write creates, with their LSNs, in order.</summary>
    public List<(Assertion Assertion, long Lsn)> Assertions { get; } = [];

    /// <summary>The votes this write records, with their LSNs, in order.</summary>
    public List<(Vote Vote, long Lsn)> Votes { get; } = [];

    public AssertOutcome Assert(Assertion assertion)
    {
        // Content addressing: an existing hash is the same claim; it keeps its LSN and confidence.
        if (LsnOf(assertion.Hash) is long existing) return new AssertOutcome(assertion.Hash, existing, Created: false);
        WriteRules.RequireAgent(assertion.Agent);
        WriteRules.RequireParents(assertion, this, WriteWording.Statements);
        long lsn = ++LastLsn;
        _new[assertion.Hash] = lsn;
        Assertions.Add((assertion, lsn));
        return new AssertOutcome(assertion.Hash, lsn, Created: true);
    }

    public VoteOutcome Vote(Vote vote)
    {
        WriteRules.RequireAgent(vote.Agent);
        WriteRules.RequireTarget(vote, this, WriteWording.Statements);
        long lsn = ++LastLsn;
        Votes.Add((vote, lsn));
        return new VoteOutcome(lsn);
    }

    /// <inheritdoc />
    public bool IsKnown(ContentHash hash) => LsnOf(hash) is not null;

    private long? LsnOf(ContentHash hash) => _new.TryGetValue(hash, out long lsn) ? lsn : stored.LsnOf(hash);
}
