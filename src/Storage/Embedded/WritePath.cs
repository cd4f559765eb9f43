using Microsoft.Data.Sqlite;
using StemeQL.Core.Model;
using StemeQL.Storage.Abstractions;
using StemeQL.Storage.Journal;

namespace StemeQL.Storage.Embedded;

/// <summary>
/// Everything that writes a data folder, journal first: the sequencer (validates a write, gives it
/// LSNs and appends it to the journal under one lock, so LSN order is journal order), the journal
/// with group commit, and the ingestor that applies durable batches to SQLite in the background.
/// Owns the folder lock: one writer per folder.
/// </summary>
internal sealed partial class WritePath : IDisposable
{
    /// <summary>The journal's folder inside the data folder.</summary>
    public const string JournalFolder = "journal";

    private readonly Lock _sequence = new();
    private readonly EmbeddedStoreOptions _options;
    private readonly FolderLock _folderLock;
    private readonly SqliteConnection _writer;
    private readonly LedgerWriter _ledger;
    private readonly ViewMaintenance _views;
    private readonly LensStateTable _lensStates;
    private readonly WatermarkTable _watermarkTable;
    private readonly WalCheckpointer _checkpointer;
    private readonly LedgerApplier _applier;
    private readonly AssertionIndex _index;
    private readonly Watermarks _watermarks;
    private readonly Ingestor _ingestor;
    private readonly JournalWriter _journal;
    private readonly PrefetchBuffers _prefetch = new();   // used under _sequence only
    private long _lastLsn;
    private long _lastStampTicks;
    private readonly string? _recovered;
    private bool _disposed;

    /// <summary>The newest acknowledged (durable) LSN; LSNs being written but not yet durable are not counted.</summary>
    public long LastLsn => _watermarks.Durable;

    /// <summary>True once the store has stopped accepting writes (fail-stop); only a fresh open recovers.</summary>
    public bool HasFailed => (_watermarks.Failure ?? _journal.Failure) is not null;

    /// <summary>The newest LSN folded into the views.</summary>
    public long MaterializedLsn => _watermarks.Materialized;

    /// <summary>Assertions ingested since the store opened.</summary>
    public long AssertionsIngested => _applier.AssertionsIngested;

    /// <summary>The newest LSN made durable in the store itself before a journal segment was released (for tests).</summary>
    public long DurableInStore => _applier.DurableInStore;

    /// <summary>True when an assertion with this hash is durable (ingested or not).</summary>
    public bool Contains(ContentHash hash) => _index.LsnOf(hash) is not null;

    /// <summary>The filter of stored assertion hashes, for tests.</summary>
    internal (HashFilter? Ready, Task Scan) HashFilter => _index.Filter;

    /// <summary>The write path's progress.</summary>
    public StoreStatus Status => new(
        _watermarks.Durable, _watermarks.Ingested, _watermarks.Materialized, _ingestor.LagMilliseconds,
        _journal.SegmentCount, _journal.SizeBytes, ReadOnly: false,
        (_watermarks.Failure ?? _journal.Failure)?.Message, _recovered);

    /// <summary>
    /// Blocks until the views include <paramref name="lsn"/>. After a failure nothing more becomes
    /// durable: a read waits only for what was acknowledged (the ingestor still applies it), so reads
    /// keep working while writes report the failure.
    /// </summary>
    public void WaitForMaterialized(long lsn, CancellationToken cancellation)
    {
        if (_watermarks.Materialized >= lsn) return;
        // After a failure nothing more becomes durable: wait only for what was acknowledged.
        if ((_watermarks.Failure ?? _journal.Failure) is not null) lsn = Math.Min(lsn, _watermarks.Durable);
        _watermarks.WaitForMaterialized(lsn, cancellation);
    }

    /// <summary>Completes when the views include <paramref name="lsn"/>, without holding a thread.</summary>
    public Task WaitForMaterializedAsync(long lsn, CancellationToken cancellation)
    {
        if (_watermarks.Materialized >= lsn) return Task.CompletedTask;
        if ((_watermarks.Failure ?? _journal.Failure) is not null) lsn = Math.Min(lsn, _watermarks.Durable);
        return _watermarks.WaitForMaterializedAsync(lsn, cancellation);
    }

    /// <summary>Tests only: the ingestor applies nothing until the returned hold is disposed.</summary>
    internal IDisposable HoldIngestion() => _ingestor.Hold();

    /// <summary>Tests only: how many chunks the ingestor thread has applied.</summary>
    internal long IngestorChunks => _ingestor.Chunks;

    /// <summary>Tests only: how many operations the ingestor's decoder has decoded ahead of it.</summary>
    internal long DecodedAheadOps => _ingestor.DecodedAheadOps;

    /// <summary>Validates, sequences and journals a write; returns once it is durable. <paramref name="cancellation"/> stops only the back-pressure wait before it.</summary>
    public IReadOnlyList<WriteOutcome> Write(IReadOnlyList<WriteOperation> operations, CancellationToken cancellation = default)
    {
        var outcomes = Sequence(operations, callerLeads: true, cancellation, out var durable);
        try
        {
            // Committed on this thread when no commit is running (a lone writer: one fsync, no
            // hand-off to the flusher and back); otherwise the running committer takes it.
            if (!durable.IsCompleted) _journal.Lead();
            // Waited for on this thread, not through a continuation: a busy thread pool must not
            // delay an acknowledgement.
            _journal.WaitDurable(durable);
        }
        catch (Exception error)
        {
            throw Stop(error);
        }
        return outcomes;
    }

    /// <summary>
    /// Validates, sequences and journals a write; returns once it is sequenced, with a task that
    /// completes when it is durable. A failure to make it durable stops the store.
    /// </summary>
    public Task<IReadOnlyList<WriteOutcome>> WriteDeferred(IReadOnlyList<WriteOperation> operations, CancellationToken cancellation = default)
    {
        var outcomes = Sequence(operations, callerLeads: false, cancellation, out var durable);
        return durable.IsCompletedSuccessfully ? Task.FromResult<IReadOnlyList<WriteOutcome>>(outcomes) : Acknowledge(durable, outcomes);
    }

    private async Task<IReadOnlyList<WriteOutcome>> Acknowledge(Task durable, WriteOutcome[] outcomes)
    {
        try
        {
            await durable.ConfigureAwait(false);
        }
        catch (Exception error)
        {
            throw Stop(error);
        }
        return outcomes;
    }

    private StemeException Stop(Exception error)
    {
        _watermarks.Fail(error);
        return StoreFailure.Stopped(error);
    }

    private WriteOutcome[] Sequence(IReadOnlyList<WriteOperation> operations, bool callerLeads, CancellationToken cancellation, out Task durable)
    {
        WaitForBacklog(cancellation);
        WriteOutcome[] outcomes;
        lock (_sequence)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if ((_watermarks.Failure ?? _journal.Failure) is { } failure) throw StoreFailure.Stopped(failure);
            // One time for the whole atomic write, never earlier than the previous one, so time order
            // follows LSN order and AS OF TIMESTAMP is a simple index search.
            long ticks = Math.Max(_options.Time.GetUtcNow().UtcTicks, _lastStampTicks);
            var batch = new SequencedWrite(_lastLsn, _index, _prefetch);
            try
            {
                batch.Prefetch(operations);
                outcomes = new WriteOutcome[operations.Count];
                for (int i = 0; i < operations.Count; i++)
                {
                    outcomes[i] = operations[i] switch
                    {
                        AssertOperation { Assertion: { } assertion } => batch.Assert(assertion),
                        VoteOperation { Vote: { } vote } => batch.Vote(vote),
                        null => throw new ArgumentException($"Operation {i} is null.", nameof(operations)),
                        var other => throw new ArgumentException($"Operation {i} ({other.GetType().Name}) is not an assert or a vote.", nameof(operations)),
                    };
                }
            }
            finally
            {
                _prefetch.Clear();
            }
            if (batch.Ops.Count == 0)
            {
                durable = Task.CompletedTask;
                return outcomes;
            }
            durable = _journal.Append(new JournalBatch(_lastLsn + 1, ticks, batch.Ops), callerLeads);
            batch.AddNewAssertionsToPending();
            Volatile.Write(ref _lastLsn, batch.LastLsn);
            _lastStampTicks = ticks;
        }
        return outcomes;
    }

    // Back-pressure, outside the sequencer's lock: while more than MaxBacklogOps operations are sequenced
    // but not in the views, a write waits for the materializer. Each writer checks before it appends, so
    // the backlog stays under the bound plus the writes already past the check (one batch per writer).
    // The command's token (its Cancel(), its timeout) ends the wait: nothing is sequenced yet.
    private void WaitForBacklog(CancellationToken cancellation)
    {
        if (_options.IngestorPaused) return;
        long room = Volatile.Read(ref _lastLsn) - _options.MaxBacklogOps;
        if (room > _watermarks.Materialized) _watermarks.WaitForRoom(room, cancellation);
    }

    /// <summary>Flushes the journal, applies everything durable, stops the workers and releases the folder.</summary>
    public void Dispose()
    {
        lock (_sequence)
        {
            if (_disposed) return;
            _disposed = true;
        }
        _journal.Dispose();
        _ingestor.Dispose();
        // Before the writer closes: the last connection to close copies what is left and removes the WAL.
        _checkpointer.Dispose();
        _index.Dispose();
        _watermarkTable.Dispose();
        _views.Dispose();
        _lensStates.Dispose();
        _ledger.Dispose();
        _writer.Dispose();
        _folderLock.Dispose();
    }
}
