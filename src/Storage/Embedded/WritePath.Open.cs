using System.Globalization;
using Microsoft.Data.Sqlite;
using StemeQL.Core.Lenses;
using StemeQL.Storage.Journal;

namespace StemeQL.Storage.Embedded;

internal sealed partial class WritePath
{
    private WritePath(EmbeddedStoreOptions options, FolderLock folderLock, SqliteConnection writer, string readerConnectionString, string journalDirectory)
    {
        _options = options;
        _folderLock = folderLock;
        _writer = writer;
        _ledger = new LedgerWriter(writer);
        var newSets = new NewSetRows();
        _views = new ViewMaintenance(writer, newSets);
        _lensStates = new LensStateTable(writer, newSets, _views.SetRowWrites, _views.ReadAhead, _views.Tallies);
        var fold = new ViewFold<ValueKey>(_views, _lensStates, options.Lenses);
        _watermarkTable = new WatermarkTable(writer);
        // Before the replay, which commits like the ingestor does.
        _checkpointer = new WalCheckpointer(writer, options.WalPassFrames, options.WalRestartFrames);
        try
        {
            _applier = new LedgerApplier(_ledger, fold, _views, _watermarkTable, _checkpointer, newSets);
            // Before the replay folds anything newer: a lens first materialized here starts from the views as they stand.
            _lensStates.BuildMissing(fold, options.Lenses, _applier.Materialized);

            // Recovery: check the journal against what the store holds (cutting only a torn tail, or
            // failing on damage that would lose acknowledged writes), then replay whatever is durable but
            // not yet applied. Both stages skip what their watermark covers, so this is exact however we crashed.
            // Frames the ledger holds are not needed again: the views catch up on them from the ledger.
            long ledgerLast = Scalar(writer,
                "SELECT max(coalesce((SELECT max(lsn) FROM assertions), 0), coalesce((SELECT max(lsn) FROM votes), 0))");
            long recordedDurable = _watermarkTable.Get(WatermarkTable.DurableKey);
            var marks = new StoreMarks(_applier.Ingested, Math.Max(Math.Max(recordedDurable, _applier.Ingested), ledgerLast));
            var recovery = JournalRecovery.Recover(options.FileSystem, journalDirectory, marks, options.Recovery, options.Journal.SegmentBytes);
            _recovered = recovery.Recovered;
            MaterializeFromLedger();
            Replay(journalDirectory, recovery.LastLsn);
            // Above everything ever durable, so no LSN is handed out twice, even after a salvage lost some.
            _lastLsn = Math.Max(recovery.NextLsn - 1, ledgerLast);
            if (_lastLsn > recordedDurable) _watermarkTable.Set(WatermarkTable.DurableKey, _lastLsn);
            // The journal is replayed whole: any LSN up to _lastLsn still unapplied is one no frame holds.
            _applier.SkipLost(_lastLsn);
            // Opened only once recovery has accepted the journal: a refused open leaves no reader connection behind.
            _index = new AssertionIndex(readerConnectionString, options.HashFilterMinCapacity);
            _lastStampTicks = Scalar(writer,
                "SELECT coalesce(max(at), 0) FROM batch_times");
            _watermarks = new Watermarks(_lastLsn, _applier.Ingested, _applier.Materialized);
            _ingestor = new Ingestor(_applier, _watermarks, _index, options, journalDirectory);
            _journal = JournalWriter.Open(options.FileSystem, journalDirectory, _lastLsn + 1, options.Journal, _ingestor.OnDurable);
            SegmentRelease.Run(_journal, _applier, options.Journal.Fsync);
            _index.StartFilter();
            if (!options.IngestorPaused) _ingestor.Start(_journal);
        }
        catch
        {
            // A refused open leaves no connection of its own behind.
            _checkpointer.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Takes the folder's writer lock, recovers and replays the journal, and starts the background
    /// ingestor. The caller has created the schema on <paramref name="writer"/>; on failure the caller
    /// disposes the writer and the lock.
    /// </summary>
    public static WritePath Open(string folder, EmbeddedStoreOptions options, FolderLock folderLock, SqliteConnection writer, string readerConnectionString) =>
        new(options, folderLock, writer, readerConnectionString, Path.Combine(folder, JournalFolder));

    // A crash between a chunk's two stages leaves the views behind the ledger (by a chunk at most).
    private void MaterializeFromLedger()
    {
        foreach (var chunk in LedgerReplay.Read(_writer, _applier.Materialized, _applier.Ingested, _options.CatchUpChunkOps))
            _applier.MaterializeIngested(chunk);
    }

    private void Replay(string journalDirectory, long durable)
    {
        var chunk = new List<JournalBatch>();
        int ops = 0;
        foreach (var batch in JournalReader.ReadAfter(_options.FileSystem, journalDirectory, _applier.Materialized))
        {
            chunk.Add(batch);
            ops += batch.Ops.Count;
            if (ops >= _options.CatchUpChunkOps) Apply();
        }
        Apply();

        void Apply()
        {
            if (chunk.Count == 0) return;
            _applier.Ingest(chunk, durable);
            _applier.Materialize(chunk);
            chunk.Clear();
            ops = 0;
        }
    }

    private static long Scalar(SqliteConnection connection, string sql) =>
        SqliteRuntime.Scalar(connection, sql) is { } value ? Convert.ToInt64(value, CultureInfo.InvariantCulture) : 0;
}
