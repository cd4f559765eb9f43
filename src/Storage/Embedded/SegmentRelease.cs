using StemeQL.Storage.Journal;

namespace StemeQL.Storage.Embedded;

/// <summary>
/// Deletes the journal segments the views have absorbed, once the store's copy of them is on disk:
/// from then on the store is the only copy, and SQLite's own commits (synchronous = NORMAL) reach the
/// disk only at checkpoints. The one fsync this costs is paid once per released segment, not per write.
/// </summary>
internal static class SegmentRelease
{
    /// <summary>Releases every closed segment at or below the applier's materialized LSN, after making the store durable.</summary>
    public static void Run(JournalWriter journal, LedgerApplier applier, bool fsync)
    {
        long through = applier.Materialized;
        if (!journal.CanReleaseThrough(through)) return;
        if (fsync && applier.DurableInStore < through) applier.MakeDurable();
        journal.ReleaseThrough(through);
    }
}
