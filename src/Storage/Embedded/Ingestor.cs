using System.Diagnostics;
using StemeQL.Storage.Journal;

namespace StemeQL.Storage.Embedded;

/// <summary>
/// The background worker behind the journal: takes durable batches (from memory, or read back from
/// the journal when more are waiting than <see cref="EmbeddedStoreOptions.MaxQueuedOps"/>), ingests
/// and materializes them, advances the watermarks and lets the journal recycle applied segments.
/// A failure here stops the store (fail-stop), as a journal failure does.
/// </summary>
internal sealed class Ingestor : IDisposable
{
    private readonly LedgerApplier _applier;
    private readonly Watermarks _watermarks;
    private readonly AssertionIndex _index;
    private readonly EmbeddedStoreOptions _options;
    private readonly string _journalDirectory;
    private readonly object _gate = new(); // Monitor.Wait/Pulse need an object lock
    private readonly Queue<JournalBatch> _queue = new();
    private readonly Queue<(long Lsn, long Since)> _durableTimes = new();
    private readonly Thread _thread;
    private JournalWriter? _journal;
    private IEnumerator<JournalBatch>? _backlog;
    private int _queuedOps;
    private bool _behind;
    private bool _stopping;

    public Ingestor(LedgerApplier applier, Watermarks watermarks, AssertionIndex index, EmbeddedStoreOptions options, string journalDirectory)
    {
        (_applier, _watermarks, _index, _options, _journalDirectory) = (applier, watermarks, index, options, journalDirectory);
        _thread = new Thread(Run) { IsBackground = true, Name = "StemeQL ingestor" };
    }

    /// <summary>Starts the worker once the journal is open.</summary>
    public void Start(JournalWriter journal)
    {
        _journal = journal;
        _thread.Start();
    }

    /// <summary>The journal's callback: a batch is durable (called in LSN order on the flusher thread).</summary>
    public void OnDurable(JournalBatch batch)
    {
        lock (_gate)
        {
            _watermarks.SetDurable(batch.LastLsn);
            if (_durableTimes.Count < 100_000) _durableTimes.Enqueue((batch.LastLsn, Stopwatch.GetTimestamp()));
            if (!_behind && _queuedOps + batch.Ops.Count <= _options.MaxQueuedOps)
            {
                _queue.Enqueue(batch);
                _queuedOps += batch.Ops.Count;
            }
            else
            {
                // Too much waiting in memory: drop the copies and read them back from the journal later.
                _behind = true;
                _queue.Clear();
                _queuedOps = 0;
            }
            Monitor.Pulse(_gate);
        }
    }

    /// <summary>How long the oldest durable write not yet materialized has waited.</summary>
    public double LagMilliseconds
    {
        get
        {
            lock (_gate)
            {
                while (_durableTimes.TryPeek(out var head) && head.Lsn <= _watermarks.Materialized) _durableTimes.Dequeue();
                return _durableTimes.TryPeek(out var oldest) ? Stopwatch.GetElapsedTime(oldest.Since).TotalMilliseconds : 0;
            }
        }
    }

    private void Run()
    {
        try
        {
            while (NextWork() is { } batches)
            {
                if (batches.Count == 0) continue;
                var added = _applier.Ingest(batches);
                _watermarks.SetIngested(_applier.Ingested);
                _index.RemovePending(added);
                _applier.Materialize(batches);
                _watermarks.SetMaterialized(_applier.Materialized);
                _journal!.ReleaseThrough(_applier.Materialized);
            }
        }
        catch (Exception error)
        {
            _watermarks.Fail(error);
        }
    }

    // The next batches to apply, or null once stopping with nothing left (Dispose drains everything first).
    private List<JournalBatch>? NextWork()
    {
        lock (_gate)
        {
            while (_queue.Count == 0 && !_behind && !_stopping) Monitor.Wait(_gate);
            if (!_behind)
            {
                if (_queue.Count == 0) return null;
                var batches = new List<JournalBatch>();
                int ops = 0;
                while (_queue.Count > 0 && (ops == 0 || ops + _queue.Peek().Ops.Count <= _options.ApplyBatchOps))
                {
                    var batch = _queue.Dequeue();
                    ops += batch.Ops.Count;
                    batches.Add(batch);
                }
                _queuedOps -= ops;
                return batches;
            }
        }
        return CatchUpFromJournal();
    }

    // Reads the next chunk of durable batches back from the journal files; leaves "behind" mode once
    // everything durable has been applied (checked under the lock, so no batch slips between the two).
    // One reader stays open across chunks, so a long backlog is read once, not once per chunk.
    private List<JournalBatch>? CatchUpFromJournal()
    {
        long target = _watermarks.Durable;
        if (_applier.Ingested >= target)
        {
            CloseBacklog();
            lock (_gate)
            {
                if (_watermarks.Durable <= _applier.Ingested) _behind = false;
            }
            return NextWork();
        }
        _backlog ??= JournalReader.ReadAfter(_options.FileSystem, _journalDirectory, _applier.Ingested).GetEnumerator();
        var batches = new List<JournalBatch>();
        int ops = 0;
        while (ops < _options.ApplyBatchOps && _backlog.MoveNext())
        {
            var batch = _backlog.Current;
            batches.Add(batch);
            ops += batch.Ops.Count;
            if (batch.LastLsn >= target) break;
        }
        // The reader listed the segments when it started: at their end, start again for newer ones.
        if (batches.Count == 0) CloseBacklog();
        return batches;
    }

    private void CloseBacklog()
    {
        _backlog?.Dispose();
        _backlog = null;
    }

    /// <summary>Stops taking work after applying everything already durable; waits for the thread.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _stopping = true;
            Monitor.Pulse(_gate);
        }
        if (_thread.IsAlive) _thread.Join();
        CloseBacklog();
    }
}
