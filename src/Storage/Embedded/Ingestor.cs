using System.Diagnostics;
using StemeQL.Storage.Journal;

namespace StemeQL.Storage.Embedded;

/// <summary>
/// The background worker behind the journal: takes durable batches (as their journal frames, from
/// memory, or read back from the journal files when more are waiting than
/// <see cref="EmbeddedStoreOptions.MaxQueuedOps"/>), decodes them off the writers' threads, ingests
/// and materializes them, advances the watermarks and lets the journal recycle applied segments.
/// While a backlog builds up in memory, a second thread decodes the oldest frames ahead of the chunk being
/// applied (at most one chunk's worth, so memory stays bounded), taking decoding off the applying thread that
/// bounds catch-up; it sleeps while the writes are few, and the applying thread decodes what it finds itself.
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
    private readonly Queue<JournalBatch> _decoded = new(); // older than every frame in _queue
    private readonly Queue<(long Lsn, long Since)> _durableTimes = new();
    private readonly Thread _thread;
    private readonly Thread _decoder;
    private JournalWriter? _journal;
    private IEnumerator<JournalBatch>? _backlog;
    private int _queuedOps; // in _queue's frames
    private int _decodedOps; // in _decoded's batches
    private bool _decoding; // the decoder holds frames taken from _queue's head: the applier waits for them
    private long _generation; // moves when the queues are dropped, so a decode in flight then is dropped too
    private bool _behind;
    private bool _stopping;
    private int _holds;
    private long _lastApplyStart; // when the last chunk was handed out (Stopwatch: real time, as Monitor.Wait's timeout is); 0 before the first
    private bool _pacing; // waiting out MinApplyInterval: a new durable batch need not wake the thread
    private long _chunks;
    private long _decodedAhead;

    public Ingestor(LedgerApplier applier, Watermarks watermarks, AssertionIndex index, EmbeddedStoreOptions options, string journalDirectory)
    {
        (_applier, _watermarks, _index, _options, _journalDirectory) = (applier, watermarks, index, options, journalDirectory);
        _thread = new Thread(Run) { IsBackground = true, Name = "StemeQL ingestor" };
        _decoder = new Thread(DecodeAhead) { IsBackground = true, Name = "StemeQL decoder" };
        _watermarks.OnDemand(Hurry);
    }

    // Frames the decoder takes at once: a bulk load's batch of 8,192, or many small ones, per wake-up.
    private const int DecodeStepOps = 16_384;

    // The decoder wakes only once this many operations wait: a few writes are decoded by the applier as it takes
    // them, without a second thread woken for each.
    private const int DecodeAheadMinOps = 4_096;

    /// <summary>Starts the worker once the journal is open.</summary>
    public void Start(JournalWriter journal)
    {
        _journal = journal;
        _thread.Start();
        _decoder.Start();
    }

    /// <summary>The journal's callback: a batch is durable (called in LSN order by the journal's committer: its flusher thread or a leading writer); the ingestor owns the frame.</summary>
    public void OnDurable(DurableFrame frame)
    {
        lock (_gate)
        {
            _watermarks.SetDurable(frame.LastLsn);
            if (_durableTimes.Count < 100_000) _durableTimes.Enqueue((frame.LastLsn, Stopwatch.GetTimestamp()));
            if (!_behind && WaitingOps + frame.OpCount <= _options.MaxQueuedOps)
            {
                _queue.Enqueue(frame);
                _queuedOps += frame.OpCount;
            }
            else
            {
                // Too much waiting in memory: drop the copies and read them back from the journal later.
                frame.Release();
                GoBehind();
            }
            if (!_pacing || _behind || WaitingOps >= _options.ApplyBatchOps || ShouldDecodeAhead()) Monitor.PulseAll(_gate);
        }
    }

    /// <summary>How many chunks (each one ingest and one materialize transaction) the thread has applied.</summary>
    public long Chunks => Interlocked.Read(ref _chunks);

    /// <summary>How many operations the decoder thread has decoded ahead of the applying thread.</summary>
    public long DecodedAheadOps => Interlocked.Read(ref _decodedAhead);

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

    // Under the lock: drops what waits in memory (and a decode in flight); the applier reads it back from the journal.
    private void GoBehind()
    {
        _behind = true;
        while (_queue.TryDequeue(out var dropped)) dropped.Release();
        _queuedOps = 0;
        _decoded.Clear();
        _decodedOps = 0;
        _generation++;
    }

    // Under the lock: the operations waiting in memory, as frames or decoded.
    private int WaitingOps => _queuedOps + _decodedOps;

    // Under the lock: whether the decoder has work: enough frames waiting, and less than a chunk decoded ahead.
    private bool ShouldDecodeAhead() =>
        !_behind && !_decoding && _queuedOps >= DecodeAheadMinOps && _decodedOps < _options.CatchUpChunkOps;

    // The decoder thread: decodes the oldest waiting frames while the applier works on the chunk before them.
    private void DecodeAhead()
    {
        BackgroundPriority.LowerCurrentThread();
        while (true)
        {
            var frames = new List<DurableFrame>();
            long generation;
            lock (_gate)
            {
                while (!_stopping && !ShouldDecodeAhead()) Monitor.Wait(_gate);
                if (_stopping) return; // the applier drains the rest itself
                int ops = 0;
                while (_queue.Count > 0 && (ops == 0 || ops + _queue.Peek().OpCount <= DecodeStepOps))
                {
                    var frame = _queue.Dequeue();
                    ops += frame.OpCount;
                    frames.Add(frame);
                }
                _queuedOps -= ops;
                _decoding = true;
                generation = _generation;
            }
            List<JournalBatch>? batches;
            try
            {
                batches = Decode(frames);
            }
            catch (Exception)
            {
                // Not applied, and the frames are gone: the applier reads them back from the journal, and a batch
                // that cannot be decoded there either stops the store as any ingest failure does. Waiting for a
                // result that never comes would leave the applier asleep with the views behind for good.
                batches = null;
            }
            lock (_gate)
            {
                _decoding = false;
                if (batches is null) GoBehind();
                else if (generation == _generation)
                {
                    foreach (var batch in batches)
                    {
                        _decoded.Enqueue(batch);
                        _decodedOps += batch.Ops.Count;
                        Interlocked.Add(ref _decodedAhead, batch.Ops.Count);
                    }
                }
                Monitor.PulseAll(_gate);
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
        List<JournalBatch>? chunk = null;
        List<DurableFrame>? frames = null;
        lock (_gate)
        {
            while (true)
            {
                while (!_stopping && (_holds > 0 || (WaitingOps == 0 && !_decoding && !_behind))) Monitor.Wait(_gate);
                var pace = PaceRemaining();
                if (pace > TimeSpan.Zero)
                {
                    _pacing = true;
                    Monitor.Wait(_gate, pace);
                    _pacing = false;
                    continue;
                }
                // Frames the decoder holds come before the queue's head: wait for them, then look again.
                if (!_decoding || _behind) break;
                Monitor.Wait(_gate);
            }
            _lastApplyStart = Stopwatch.GetTimestamp();
            if (!_behind)
            {
                if (WaitingOps == 0) return null;
                (chunk, frames) = TakeChunk();
            }
        }
        if (chunk is null) return CatchUpFromJournal();
        chunk.AddRange(Decode(frames!));
        return chunk;
    }

    // Under the lock: the next chunk from memory, the batches decoded ahead first, then frames (decoded by the caller).
    private (List<JournalBatch> Decoded, List<DurableFrame> Frames) TakeChunk()
    {
        var decoded = new List<JournalBatch>();
        var frames = new List<DurableFrame>();
        int ops = 0, cap = ChunkCap();
        while (_decoded.Count > 0 && (ops == 0 || ops + _decoded.Peek().Ops.Count <= cap))
        {
            var batch = _decoded.Dequeue();
            ops += batch.Ops.Count;
            decoded.Add(batch);
        }
        _decodedOps -= ops;
        int fromFrames = 0;
        if (_decoded.Count == 0)
        {
            while (_queue.Count > 0 && (ops == 0 || ops + _queue.Peek().OpCount <= cap))
            {
                var frame = _queue.Dequeue();
                ops += frame.OpCount;
                fromFrames += frame.OpCount;
                frames.Add(frame);
            }
        }
        _queuedOps -= fromFrames;
        return (decoded, frames);
    }

    // Under the lock: the most operations the next chunk takes from memory. Larger while a backlog builds up
    // (see EmbeddedStoreOptions.CatchUpBatchOps): a commit's cost is mostly the pages it dirties, which grow slower
    // than the chunk, so a backlog is worked off in fewer, larger transactions.
    private int ChunkCap() => WaitingOps >= 2L * _options.ApplyBatchOps ? _options.CatchUpChunkOps : _options.ApplyBatchOps;

    // Under the lock: how much longer to let durable batches gather before the next transaction (see
    // EmbeddedStoreOptions.MinApplyInterval); zero when someone waits for the views or there is enough to do.
    private TimeSpan PaceRemaining()
    {
        var interval = _options.MinApplyInterval;
        if (interval <= TimeSpan.Zero || _stopping || _behind || _lastApplyStart == 0) return TimeSpan.Zero;
        if (WaitingOps >= _options.ApplyBatchOps || _watermarks.HasWaiters) return TimeSpan.Zero;
        return interval - Stopwatch.GetElapsedTime(_lastApplyStart);
    }

    // A reader (or a writer held by back-pressure) waits for the views: stop pacing.
    private void Hurry()
    {
        lock (_gate) Monitor.PulseAll(_gate);
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
                Monitor.PulseAll(ingestor._gate);
            }
        }
    }

    /// <summary>Stops taking work after applying everything already durable; waits for the thread.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _stopping = true;
            Monitor.PulseAll(_gate);
        }
        if (_decoder.IsAlive) _decoder.Join();
        if (_thread.IsAlive) _thread.Join();
        CloseBacklog();
    }
}
