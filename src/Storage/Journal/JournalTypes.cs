using StemeQL.Core.Model;

namespace StemeQL.Storage.Journal;

/// <summary>One journaled operation and its LSN.</summary>
internal abstract record JournalOp(long Lsn);

/// <summary>An assertion (its confidence and lineage included).</summary>
internal sealed record JournalAssert(long Lsn, Assertion Assertion) : JournalOp(Lsn);

/// <summary>A vote.</summary>
internal sealed record JournalVote(long Lsn, Vote Vote) : JournalOp(Lsn);

/// <summary>
/// One atomic write: the ops have consecutive LSNs starting at <see cref="FirstLsn"/>, and
/// <see cref="Ticks"/> (UTC) is the time stamped on all of them.
/// </summary>
internal sealed record JournalBatch(long FirstLsn, long Ticks, IReadOnlyList<JournalOp> Ops)
{
    public long LastLsn => FirstLsn + Ops.Count - 1;
}

/// <summary>Segment size and fsync policy.</summary>
internal sealed class JournalOptions
{
    /// <summary>A new segment starts once a frame would take the active one past this size.</summary>
    public long SegmentBytes { get; init; } = 64L << 20;

    /// <summary>Sync files and the directory. Turn off only in tests and benchmarks: a crash then loses acknowledged writes.</summary>
    public bool Fsync { get; init; } = true;
}

/// <summary>
/// What recovery found. <paramref name="LastLsn"/> is the last LSN the journal accounts for: its last
/// frame's, or for a newest segment that holds no frame yet, that segment's first LSN − 1; 0 when there
/// are no segments. <paramref name="Problem"/> describes what was truncated or deleted, or is null.
/// </summary>
internal sealed record JournalRecoveryResult(long LastLsn, long TruncatedBytes, int Segments, string? Problem);
