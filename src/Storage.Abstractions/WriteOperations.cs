using StemeQL.Core.Model;

namespace StemeQL.Storage.Abstractions;

/// <summary>One operation of an atomic write.</summary>
public abstract record WriteOperation;

/// <summary>Store an assertion (idempotent: the hash decides).</summary>
public sealed record AssertOperation(Assertion Assertion) : WriteOperation;

/// <summary>Record a vote.</summary>
public sealed record VoteOperation(Vote Vote) : WriteOperation;

/// <summary>What one <see cref="WriteOperation"/> did.</summary>
public abstract record WriteOutcome(long Lsn);

/// <summary>An assertion's hash, its LSN (the original one when it already existed) and whether this write created it.</summary>
public sealed record AssertOutcome(ContentHash Hash, long Lsn, bool Created) : WriteOutcome(Lsn);

/// <summary>A vote's LSN.</summary>
public sealed record VoteOutcome(long Lsn) : WriteOutcome(Lsn);
