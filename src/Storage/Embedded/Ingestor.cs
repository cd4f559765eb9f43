using System.Diagnostics;
using StemeQL.Storage.Journal;

namespace StemeQL.Storage.Embedded;

/// <summary>
/// The background worker behind the journal: takes durable batches (as their journal frames, from
/// memory, or read back from the journal files when more are waiting than
/// <see cref="EmbeddedStoreOptions.MaxQueuedOps"/>), decodes them on its own thread, ingests
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
    private readonly Queue<DurableFrame> _queue = new();
    private readonly Queue<(long Lsn, long Since)> _durableTimes = new();
    private readonly Thread _thread;
    private JournalWriter? _journal;
    private IEnumerator<JournalBatch>? _backlog;
    private int _queuedOps;
    private bool _behind;
    private bool _stopping;
    private int _holds;
    private long _lastApplyStart; // when the last chunk was handed out (Stopwatch: real time, as Monitor.Wait's timeout is); 0 before the first
    private bool _pacing; // waiting out MinApplyInterval: a new durable batch need not wake the thread
    private long _chunks;

    public Ingestor(LedgerApplier applier, Watermarks watermarks, AssertionIndex index, EmbeddedStoreOptions options, string journalDirectory)
    {
        (_applier, _watermarks, _index, _options, _journalDirectory) = (applier, watermarks, index, options, journalDirectory);
        _thread = new Thread(Run) { IsBackground = true, Name = "StemeQL ingestor" };
        _watermarks.OnDemand(Hurry);
    }

    /// <summary>Starts the worker once the journal is open.</summary>
    public void Start(JournalWriter journal)
    {
        _journal = journal;
        _thread.Start();
    }

    /// <summary>The journal's callback: a batch is durable (called in LSN order by the journal's committer: its flusher thread or a leading writer); the ingestor owns the frame.</summary>
    public void OnDurable(DurableFrame frame)
    {
        lock (_gate)
        {
            _watermarks.SetDurable(frame.LastLsn);
            if (_durableTimes.Count < 100_000) _durableTimes.Enqueue((frame.LastLsn, Stopwatch.GetTimestamp()));
            if (!_behind && _queuedOps + frame.OpCount <= _options.MaxQueuedOps)
            {
                _queue.Enqueue(frame);
                _queuedOps += frame.OpCount;
            }
            else
            {
                // Too much waiting in memory: drop the copies and read them back from the journal later.
                _behind = true;
                frame.Release();
                while (_queue.TryDequeue(out var dropped)) dropped.Release();
                _queuedOps = 0;
            }
            if (!_pacing || _behind || _queuedOps >= _options.ApplyBatchOps) Monitor.Pulse(_gate);
        }
    }

    /// <summary>How many chunks (each one ingest and one materialize transaction) the thread has applied.</summary>
    public long Chunks => Interlocked.Read(ref _chunks);

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
        BackgroundPriority.LowerCurrentThread();
        try
        {
            while (NextWork() is { } batches)
            {
                if (batches.Count == 0) continue;
                Interlocked.Increment(ref _chunks);
                _applier.Ingest(batches, _watermarks.Durable);
                _watermarks.SetIngested(_applier.Ingested);
                _index.RemovePendingThrough(_applier.Ingested);
                _applier.Materialize(batches);
                _watermarks.SetMaterialized(_applier.Materialized);
                SegmentRelease.Run(_journal!, _applier, _options.Journal.Fsync);
            }
        }
        catch (Exception error)
        {
            _watermarks.FailIngest(error);
        }
    }

    // The next batches to apply, or null once stopping with nothing left (Dispose drains everything first).
    private List<JournalBatch>? NextWork()
    {
        List<DurableFrame>? frames = null;
        lock (_gate)
        {
            while (true)
            {
                while (!_stopping && (_holds > 0 || (_queue.Count == 0 && !_behind))) Monitor.Wait(_gate);
                var pace = PaceRemaining();
                if (pace <= TimeSpan.Zero) break;
                _pacing = true;
                Monitor.Wait(_gate, pace);
                _pacing = false;
            }
            _lastApplyStart = Stopwatch.GetTimestamp();
            if (!_behind)
            {
                if (_queue.Count == 0) return null;
                frames = [];
                int ops = 0, cap = ChunkCap();
                while (_queue.Count > 0 && (ops == 0 || ops + _queue.Peek().OpCount <= cap))
                {
                    var frame = _queue.Dequeue();
                    ops += frame.OpCount;
                    frames.Add(frame);
                }
                _queuedOps -= ops;
            }
        }
        return frames is null ? CatchUpFromJournal() : Decode(frames);
    }

    // Under the lock: the most operations the next chunk takes from memory. Larger while a backlog builds up
    // (see EmbeddedStoreOptions.CatchUpBatchOps): a commit's cost is mostly the pages it dirties, which grow slower
    // than the chunk, so a backlog is worked off in fewer, larger transactions.
    private int ChunkCap() => _queuedOps >= 2L * _options.ApplyBatchOps ? _options.CatchUpChunkOps : _options.ApplyBatchOps;

    // Under the lock: how much longer to let durable batches gather before the next transaction (see
    // EmbeddedStoreOptions.MinApplyInterval); zero when someone waits for the views or there is enough to do.
    private TimeSpan PaceRemaining()
    {
        var interval = _options.MinApplyInterval;
        if (interval <= TimeSpan.Zero || _stopping || _behind || _lastApplyStart == 0) return TimeSpan.Zero;
        if (_queuedOps >= _options.ApplyBatchOps || _watermarks.HasWaiters) return TimeSpan.Zero;
        return interval - Stopwatch.GetElapsedTime(_lastApplyStart);
    }

    // A reader (or a writer held by back-pressure) waits for the views: stop pacing.
    private void Hurry()
    {
        lock (_gate) Monitor.Pulse(_gate);
    }

    // Outside the lock, so the flusher never waits for a decode.
    private static List<JournalBatch> Decode(List<DurableFrame> frames)
    {
        var batches = new List<JournalBatch>(frames.Count);
        foreach (var frame in frames)
        {
            batches.Add(frame.Decode());
            frame.Release();
        }
        return batches;
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
        while (ops < _options.CatchUpChunkOps && _backlog.MoveNext())
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

    /// <summary>
    /// Tests only: applies nothing more (after the chunk in hand) until the returned hold is disposed, so
    /// a test can keep acknowledged writes out of the views without timing. Stopping ignores holds.
    /// </summary>
    public IDisposable Hold()
    {
        lock (_gate) _holds++;
        return new Release(this);
    }

    private sealed class Release(Ingestor ingestor) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) != 0) return;
            lock (ingestor._gate)
            {
                ingestor._holds--;
                Monitor.Pulse(ingestor._gate);
            }
        }
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
