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

/// <summary>
/// A batch that has just become durable, as the frame written to the journal rather than as
/// objects: the receiver decodes it when it gets to it, so a long ingest queue holds compact bytes
/// and the write's objects die young (the GC would otherwise copy every queued assertion twice).
/// The receiver owns <see cref="Frame"/>, a pooled array, and gives it back with <see cref="Release"/>.
/// </summary>
internal sealed class DurableFrame(long firstLsn, int opCount, byte[] frame, int length)
{
    /// <summary>The batch's first LSN.</summary>
    public long FirstLsn { get; } = firstLsn;

    /// <summary>The batch's last LSN.</summary>
    public long LastLsn => FirstLsn + OpCount - 1;

    /// <summary>How many operations the batch holds.</summary>
    public int OpCount { get; } = opCount;

    /// <summary>The frame's bytes (header and payload) at the start of a pooled array.</summary>
    public byte[] Frame { get; } = frame;

    /// <summary>The frame's length in <see cref="Frame"/>.</summary>
    public int Length { get; } = length;

    /// <summary>Decodes the batch (its CRC was checked when it was encoded from these bytes).</summary>
    public JournalBatch Decode() => JournalCodec.Decode(Frame.AsSpan(JournalFormat.FrameHeaderSize, Length - JournalFormat.FrameHeaderSize));

    /// <summary>Gives the array back to the pool; the frame is unusable afterwards.</summary>
    public void Release() => FrameBuffer.Return(Frame);
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
/// are no segments. <paramref name="NextLsn"/> is the LSN the writer must continue with: above everything
/// the journal or the store ever called durable. <paramref name="Recovered"/> says what was cut, skipped or
/// salvaged, or is null; <paramref name="Lost"/> lists the LSNs a salvage gave up (empty otherwise).
/// </summary>
internal sealed record JournalRecoveryResult(long LastLsn, long TruncatedBytes, int Segments, string? Recovered, long NextLsn, IReadOnlyList<LsnRange> Lost);

/// <summary>An inclusive range of LSNs.</summary>
internal readonly record struct LsnRange(long First, long Last)
{
    public long Count => Last - First + 1;

    public override string ToString() => First == Last ? $"{First}" : $"{First}-{Last}";
}

/// <summary>
/// What the store already holds, which decides what of the journal recovery still needs:
/// <paramref name="Applied"/> is the newest LSN both ingested and materialized (frames at or below it are
/// never read again), <paramref name="Durable"/> the newest LSN the store knows was acknowledged.
/// </summary>
internal readonly record struct StoreMarks(long Applied, long Durable)
{
    /// <summary>A journal on its own: nothing applied, nothing known.</summary>
    public static readonly StoreMarks None = new(0, 0);
}

/// <summary>How recovery treats damage that would lose acknowledged writes.</summary>
internal enum RecoveryMode
{
    /// <summary>Cut only a torn tail; refuse to open on any other damage.</summary>
    Normal,

    /// <summary>Keep every valid frame, rewrite the journal cleanly and report the LSNs lost.</summary>
    Salvage,
}
