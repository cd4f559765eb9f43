using StemeQL.Core.Model;

namespace StemeQL.Storage.Abstractions;

/// <summary>One operation of an atomic write.</summary>
public abstract record WriteOperation
{
    /// <summary>
    /// Adds the hashes this operation names to <paramref name="hashes"/>: the ones a store looks up before it
    /// writes (whether each is stored), the same for every backend.
    /// </summary>
    public abstract void AddNamedHashes(ISet<ContentHash> hashes);
}

/// <summary>Store an assertion (idempotent: the hash decides).</summary>
public sealed record AssertOperation(Assertion Assertion) : WriteOperation
{
    /// <summary>Adds the assertion's hash and its lineage's.</summary>
    public override void AddNamedHashes(ISet<ContentHash> hashes)
    {
        hashes.Add(Assertion.Hash);
        foreach (var parent in Assertion.Lineage) hashes.Add(parent);
    }
}

/// <summary>Record a vote.</summary>
public sealed record VoteOperation(Vote Vote) : WriteOperation
{
    /// <summary>Adds the vote's target.</summary>
    public override void AddNamedHashes(ISet<ContentHash> hashes) => hashes.Add(Vote.Assertion);
}

/// <summary>What one <see cref="WriteOperation"/> did.</summary>
public abstract record WriteOutcome(long Lsn);

/// <summary>An assertion's hash, its LSN (the original one when it already existed) and whether this write created it.</summary>
public sealed record AssertOutcome(ContentHash Hash, long Lsn, bool Created) : WriteOutcome(Lsn);

/// <summary>A vote's LSN.</summary>
public sealed record VoteOutcome(long Lsn) : WriteOutcome(Lsn);
