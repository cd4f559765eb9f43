namespace StemeQL.Storage.Journal;

/// <summary>
/// Appends batches to the journal with group commit: callers encode their frame and enqueue it; one
/// committer at a time takes everything queued, writes it (small frames coalesced into one write),
/// fsyncs once, then reports each batch durable in LSN order. The committer is the flusher thread,
/// or a caller that waits for its own write (<see cref="Lead"/>) and finds no commit running: a lone
/// writer then pays one fsync and no thread hand-offs, while writers that arrive during a commit
/// are queued and committed together by the flusher. Any write, sync or create error is fail-stop:
/// nothing is written afterwards and every pending or later append faults.
/// </summary>
internal sealed partial class JournalWriter : IDisposable
{
    private readonly IJournalFileSystem _fs;
    private readonly string _directory;
    private readonly JournalOptions _options;
    private readonly Action<DurableFrame> _onDurable;
    private readonly Thread _flusher;

    // The last batch this thread appended to lead, and its group's generation (WaitDurable).
    [ThreadStatic] private static Task? t_ledTask;
    [ThreadStatic] private static int t_ledGeneration;

    private readonly CommitWakeups _wakeups = CommitWakeups.Create();

    private readonly object _gate = new();   // Monitor.Wait/Pulse: a System.Threading.Lock cannot be waited on
    private List<Pending> _queue = [];
    private int _queueGeneration;    // the generation of the group _queue will become; the next committer takes it
    private long _nextLsn;
    private bool _disposed;
    private bool _flusherWaiting;
    private bool _committing;        // someone (the flusher or a leading caller) is writing a group
    private Thread? _committer;
    private volatile StemeException? _failure;
    private long _durableLsn;
    private long _pendingBytes;

    // Oldest first; the last one is the active segment. Guarded by _segmentsGate (ReleaseThrough and
    // the size properties run on other threads than the flusher).
    private readonly Lock _segmentsGate = new();
    private readonly List<Segment> _segments;
    private readonly Lock _releaseGate = new();   // one release at a time: only it removes segments

    private JournalWriter(IJournalFileSystem fs, string directory, JournalOptions options, Action<DurableFrame> onDurable,
        List<Segment> segments, IJournalFile active, bool activeHasFrames, long nextLsn)
    {
        (_fs, _directory, _options, _onDurable, _segments) = (fs, directory, options, onDurable, segments);
        _active = active;
        _activeLength = segments[^1].Length;
        _activeHasFrames = activeHasFrames;
        _nextLsn = nextLsn;
        _durableLsn = nextLsn - 1;
        _flusher = new Thread(Run) { IsBackground = true, Name = "StemeQL journal flusher" };
        _flusher.Start();
    }

    /// <summary>The highest LSN known durable (everything before the next LSN given to Open counts).</summary>
    public long DurableLsn => Volatile.Read(ref _durableLsn);

    /// <summary>Why the journal stopped, or null while it works.</summary>
    public Exception? Failure => _failure;

    /// <summary>Bytes appended but not yet durable (for callers that want to apply back-pressure).</summary>
    public long PendingBytes => Interlocked.Read(ref _pendingBytes);

    public int SegmentCount
    {
        get
        {
            lock (_segmentsGate) return _segments.Count;
        }
    }

    public long SizeBytes
    {
        get
        {
            lock (_segmentsGate) return _segments.Sum(s => s.Length);
        }
    }

    /// <summary>
    /// Encodes <paramref name="batch"/> on this thread and queues it; the task completes once it is
    /// durable, or faults with a StorageFailure <see cref="StemeException"/> if the journal failed.
    /// Callers append in LSN order: FirstLsn must be the next LSN.
    /// </summary>
    public Task Append(JournalBatch batch) => Append(batch, callerLeads: false);

    /// <summary>
    /// As <see cref="Append(JournalBatch)"/>; with <paramref name="callerLeads"/> the flusher is not
    /// woken for this batch: the caller must call <see cref="Lead"/> next (outside its own locks), which
    /// commits it on the caller's thread unless a commit is running (that committer then takes it).
    /// </summary>
    public Task Append(JournalBatch batch, bool callerLeads)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_failure is not null) return Task.FromException(NewFailure());
        var (frame, length) = JournalCodec.EncodeFrame(batch);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Pending pending;
        lock (_gate)
        {
            string? misuse = _disposed ? "disposed" : batch.FirstLsn != _nextLsn ? $"Append expected a batch starting at LSN {_nextLsn}, not {batch.FirstLsn}." : null;
            if (misuse is not null || _failure is not null)
            {
                FrameBuffer.Return(frame);
                ObjectDisposedException.ThrowIf(_disposed, this);
                if (misuse is not null) throw new InvalidOperationException(misuse);
                return Task.FromException(NewFailure());
            }
            _nextLsn = batch.LastLsn + 1;
            pending = new Pending(batch, frame, length, done, _queueGeneration);
            _queue.Add(pending);
            Interlocked.Add(ref _pendingBytes, length);
            if (_flusherWaiting && !callerLeads) Monitor.Pulse(_gate);
        }
        if (callerLeads) (t_ledTask, t_ledGeneration) = (done.Task, pending.Generation);
        return done.Task;
    }

    /// <summary>
    /// Commits everything queued on this thread when no commit is running; otherwise returns at once,
    /// leaving the queue to the running committer, which takes it (or wakes the flusher for it) when done.
    /// </summary>
    public void Lead()
    {
        List<Pending> group;
        lock (_gate)
        {
            if (_committing || _queue.Count == 0) return;
            group = _queue;
            _queue = [];
            _queueGeneration++;
            _committing = true;
            _committer = Thread.CurrentThread;
        }
        try
        {
            Commit(group);
        }
        catch (Exception error)
        {
            // As on the flusher: a bug stops the journal; the callers' tasks carry the failure.
            FailStop($"stopped on an internal error ({error.Message})", "reopen the database", error, group, returnFrames: false);
        }
        finally
        {
            lock (_gate)
            {
                _committing = false;
                _committer = null;
                // Writers that queued during this commit are the flusher's (it also waits for this
                // commit to end before closing the file on dispose). Woken for nothing, the flusher
                // could take this writer's next batch and make it wait for a hand-off after all.
                if (_flusherWaiting && (_queue.Count > 0 || _disposed)) Monitor.Pulse(_gate);
            }
        }
    }

    /// <summary>
    /// Blocks until <paramref name="durable"/> (an <see cref="Append(JournalBatch, bool)"/> with
    /// callerLeads, on this thread) completes, then returns or throws its failure. It sleeps with the
    /// rest of its group (<see cref="CommitWakeups"/>) without spinning: a Task wait spins and yields
    /// first, which with 16 writers on 2 cores took the CPU the committer and the ingestor needed (9
    /// sched_yield calls per write).
    /// </summary>
    public void WaitDurable(Task durable)
    {
        if (!durable.IsCompleted)
        {
            if (ReferenceEquals(durable, t_ledTask)) _wakeups.Wait(t_ledGeneration, durable);
            else ((IAsyncResult)durable).AsyncWaitHandle.WaitOne();   // not appended to lead on this thread
        }
        durable.GetAwaiter().GetResult();
    }

    /// <summary>True when <see cref="ReleaseThrough"/> would delete at least one segment.</summary>
    public bool CanReleaseThrough(long lsn)
    {
        lock (_segmentsGate) return _segments.Count >= 2 && _segments[1].FirstLsn - 1 <= lsn;
    }

    /// <summary>
    /// Deletes closed segments whose LSNs are all at most <paramref name="lsn"/>, oldest first (the
    /// journal stays a contiguous suffix of the log); never the active segment.
    /// </summary>
    public void ReleaseThrough(long lsn)
    {
        lock (_releaseGate)
        {
            while (true)
            {
                string path;
                lock (_segmentsGate)
                {
                    // A closed segment's LSNs end before the next segment's first LSN.
                    if (_segments.Count < 2 || _segments[1].FirstLsn - 1 > lsn) return;
                    path = _segments[0].Path;
                }
                // The disk work happens outside _segmentsGate so a commit never waits for it.
                try
                {
                    _fs.Delete(path);
                    // One directory sync per deletion keeps deletions in order across a crash: a gap
                    // left by an out-of-order deletion would look like corruption to recovery.
                    if (_options.Fsync) _fs.SyncDirectory(_directory);
                }
                catch (Exception error) when (error is IOException or UnauthorizedAccessException)
                {
                    throw new StemeException(StemeErrorCode.StorageFailure,
                        $"The applied journal segment '{path}' could not be deleted ({error.Message}): fix the disk problem; the data is safe.", error);
                }
                lock (_segmentsGate) _segments.RemoveAt(0);
            }
        }
    }

    /// <summary>Stops accepting appends, writes and completes everything queued, and stops the flusher.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            Monitor.Pulse(_gate);
        }
        // Disposing from onDurable (on the flusher, or a leading caller the flusher waits for) must not wait for itself.
        bool committing;
        lock (_gate) committing = _committer == Thread.CurrentThread;
        if (Thread.CurrentThread != _flusher && !committing) _flusher.Join();
    }

    private StemeException NewFailure()
    {
        // A fresh exception per task: one instance rethrown on many threads would share its stack trace.
        var failure = _failure!;
        return new StemeException(failure.ErrorCode, failure.Message, failure.InnerException);
    }

    private sealed class Segment(string path, long firstLsn, long length)
    {
        public string Path { get; } = path;
        public long FirstLsn { get; } = firstLsn;
        public long Length { get; set; } = length;
    }

    // Generation: the group it is committed in (every batch of a group has the same), for CommitWakeups.
    private sealed record Pending(JournalBatch Batch, byte[] Frame, int Length, TaskCompletionSource Done, int Generation)
    {
        public void Succeed() => Done.TrySetResult();

        public void Fail(Exception failure) => Done.TrySetException(failure);
    }
}
