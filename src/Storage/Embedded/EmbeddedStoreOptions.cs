using StemeQL.Core.Lenses;
using StemeQL.Storage.Journal;

namespace StemeQL.Storage.Embedded;

/// <summary>How an embedded store is opened; the defaults are what users get.</summary>
internal sealed record EmbeddedStoreOptions
{
    /// <summary>The defaults: system clock, physical disk, fsync on every group commit.</summary>
    public static readonly EmbeddedStoreOptions Default = new();

    /// <summary>The clock that stamps <c>asserted_at</c> / <c>voted_at</c>.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>The journal's file system (tests inject failures here).</summary>
    public IJournalFileSystem FileSystem { get; init; } = PhysicalJournalFileSystem.Instance;

    /// <summary>Journal segment size and fsync policy.</summary>
    public JournalOptions Journal { get; init; } = new();

    /// <summary>
    /// What recovery does with a damaged journal: refuse to open (the default), or salvage every valid
    /// frame and report the LSNs lost.
    /// </summary>
    public RecoveryMode Recovery { get; init; } = RecoveryMode.Normal;

    /// <summary>
    /// The lenses whose views the store maintains: the built-in ones with a fold. Tests add a lens
    /// defined only in Core to show it is materialized with no store code of its own.
    /// </summary>
    public IReadOnlyList<ILens> Lenses { get; init; } = [.. LensNames.Available.Values.Where(l => l.Fold is not null).OrderBy(l => l.Name, StringComparer.Ordinal)];

    /// <summary>Open without writing: no folder lock, no journal, no background work.</summary>
    public bool ReadOnly { get; init; }

    public Abstractions.ObjectStoreSettings Objects { get; init; } = Abstractions.ObjectStoreSettings.Default;

    /// <summary>Told before and after this open upgrades the store's schema (see <see cref="Abstractions.SchemaUpgrade"/>).</summary>
    public Action<Abstractions.SchemaUpgrade>? OnSchemaUpgrade { get; init; }

    /// <summary>
    /// Tests only: never start the ingestor, so acknowledged writes stay in the journal alone and a
    /// later open must replay them (an in-process stand-in for a crash before ingestion).
    /// </summary>
    public bool IngestorPaused { get; init; }

    /// <summary>The most journal operations the ingestor applies in one SQLite transaction while it keeps up.</summary>
    public int ApplyBatchOps { get; init; } = 50_000;

    /// <summary>
    /// The most journal operations the ingestor applies in one SQLite transaction while it is behind: more than
    /// twice <see cref="ApplyBatchOps"/> queued, reading durable batches back from the journal, or replaying it at
    /// open. 200,000 by default. Each commit rewrites every page it dirtied, and votes spread over many sets dirty
    /// most pages of the view tables whatever the chunk's size, so a larger chunk costs less per vote (half, at
    /// 100,000 sets); a reader waiting for an early write of the chunk waits for the whole chunk, which is why the
    /// larger size is kept for a backlog. Never below <see cref="ApplyBatchOps"/>.
    /// </summary>
    public int CatchUpBatchOps { get; init; } = 200_000;

    /// <summary>The chunk size while behind: <see cref="CatchUpBatchOps"/>, or <see cref="ApplyBatchOps"/> if that is larger.</summary>
    internal int CatchUpChunkOps => Math.Max(CatchUpBatchOps, ApplyBatchOps);

    /// <summary>
    /// The shortest time between the starts of two ingestor transactions while nobody waits for the views:
    /// 5 ms by default, <see cref="TimeSpan.Zero"/> to apply each durable batch as soon as it arrives. Each
    /// transaction rewrites every page it touches in the WAL (and the checkpoint copies it again), so many
    /// small transactions cost far more than one larger one. A read that waits for the views (Strong
    /// consistency), a writer held by back-pressure, a backlog of <see cref="ApplyBatchOps"/> and closing the
    /// store all end the wait at once; only Eventual readers can see the views up to this much later.
    /// </summary>
    public TimeSpan MinApplyInterval { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>
    /// The WAL size, in frames (pages of 4 KiB), at which an ingestor commit waits for the background
    /// checkpoint to copy it, so the WAL starts over (see <see cref="WalCheckpointer"/>): 64 MiB by default.
    /// </summary>
    public int WalRestartFrames { get; init; } = 16_384;

    /// <summary>
    /// How many frames the WAL grows by between two requests for a background checkpoint pass (see
    /// <see cref="WalCheckpointer"/>): 4,000 by default. Fewer, larger passes keep a lone writer's p99
    /// within 2× a SQLite insert's (the target) and raise its p99.9 (each pass's fsync is larger); more
    /// frequent ones (1,000, 2,000) do the opposite. Measured in docs/performance.md.
    /// </summary>
    public int WalPassFrames { get; init; } = 4_000;

    /// <summary>
    /// The most durable operations kept in memory for the ingestor; beyond it the ingestor reads them
    /// back from the journal, so memory stays bounded however far ingestion falls behind.
    /// </summary>
    public int MaxQueuedOps { get; init; } = 500_000;

    /// <summary>
    /// Back-pressure: the most operations that may be sequenced but not yet folded into the views. A
    /// write that finds more waits (before it is sequenced) until the materializer brings the backlog
    /// under this bound, so a writer faster than the materializer runs at the materializer's pace
    /// instead of leaving pending state (journal, pending assertions) that grows without limit. Below
    /// <see cref="MaxQueuedOps"/>, so the ingestor keeps taking batches from memory rather than reading
    /// them back from the journal. Ignored while <see cref="IngestorPaused"/> (nothing would drain it).
    /// </summary>
    public int MaxBacklogOps { get; init; } = 400_000;

    /// <summary>
    /// The smallest filter of stored assertion hashes the write path builds, in entries (about 1.2
    /// bytes each at the default). Tests set it small to make the filter grow.
    /// </summary>
    public long HashFilterMinCapacity { get; init; } = 1L << 20;
}
