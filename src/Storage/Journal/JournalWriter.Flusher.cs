namespace StemeQL.Storage.Journal;

internal sealed partial class JournalWriter
{
    // Frames up to half of this are copied into one buffer so a group of small batches is one write
    // call; bigger frames (bulk loads), and a group's only frame (a DbBatch of 1,000 votes: 60 KB not
    // copied per batch), are written straight from their own buffer.
    private const int CoalesceBytes = 1 << 20;

    // Owned by the committer (the flusher or a leading caller, one at a time: _committing, under _gate).
    private IJournalFile _active;
    private long _activeLength;
    private bool _activeHasFrames;
    private readonly byte[] _coalesce = new byte[CoalesceBytes];
    private int _coalesced;

    private void Run()
    {
        var group = new List<Pending>();
        try
        {
            while (true)
            {
                lock (_gate)
                {
                    // A leading caller's commit is waited out: it pulses when done.
                    while (_committing || (_queue.Count == 0 && !_disposed))
                    {
                        _flusherWaiting = true;
                        Monitor.Wait(_gate);
                        _flusherWaiting = false;
                    }
                    if (_queue.Count == 0 || _failure is not null) return;   // disposed and everything queued is done, or failed
                    (group, _queue) = (_queue, group);
                    _queueGeneration++;
                    _committing = true;
                }
                bool committed = Commit(group);
                lock (_gate) _committing = false;
                if (!committed) return;
                // Several writers were waiting on that sync and were just woken: let them run and
                // queue their next batch so it joins the next group instead of each paying a sync.
                if (group.Count > 1) Thread.Yield();
                group.Clear();
            }
        }
        catch (Exception error)
        {
            // A bug must not kill the process from a background thread: stop the journal instead.
            FailStop($"stopped on an internal error ({error.Message})", "reopen the database", error, group, returnFrames: false);
        }
        finally
        {
            try
            {
                _active.Dispose();
            }
            catch (IOException)
            {
                // Nothing is written after the last sync; a failing close changes nothing durable.
            }
        }
    }

    // Writes and syncs one group, then reports it durable. False once the journal has failed.
    private bool Commit(List<Pending> group)
    {
        Segment activeBefore;
        lock (_segmentsGate) activeBefore = _segments[^1];
        long lengthBefore = _activeLength;
        try
        {
            WriteGroup(group);
        }
        catch (Exception error)
        {
            Rollback(activeBefore, lengthBefore);
            FailStop($"could not be written ({error.Message})", "fix the disk problem and reopen the database", error, group, returnFrames: true);
            return false;
        }

        long bytes = 0;
        foreach (var pending in group) bytes += pending.Length;
        Interlocked.Add(ref _pendingBytes, -bytes);
        Volatile.Write(ref _durableLsn, group[^1].Batch.LastLsn);

        // Every batch of the group is durable, so every task succeeds; a failing callback stops the
        // journal (before the caller hears back) for what comes next: the store lost track of it.
        // The callback takes each frame's array over; after a failure they go back to the pool.
        bool callbackFailed = false;
        foreach (var pending in group)
        {
            if (!callbackFailed)
            {
                try
                {
                    _onDurable(new DurableFrame(pending.Batch.FirstLsn, pending.Batch.Ops.Count, pending.Frame, pending.Length));
                }
                catch (Exception error)
                {
                    callbackFailed = true;
                    FailStop($"stopped after its durable-batch handler failed ({error.Message})", "reopen the database", error, [], returnFrames: false);
                }
            }
            else
            {
                FrameBuffer.Return(pending.Frame);
            }
            pending.Succeed();
        }
        _wakeups.WakeAll(group[0].Generation);
        return !callbackFailed;
    }

    private void WriteGroup(List<Pending> group)
    {
        foreach (var pending in group)
        {
            // A frame never spans segments; an empty segment takes any frame, however large.
            if (_activeHasFrames && _activeLength + pending.Length > _options.SegmentBytes)
            {
                WriteCoalesced();
                if (_options.Fsync) _active.Sync();
                Roll(pending.Batch.FirstLsn);
            }
            var frame = pending.Frame.AsSpan(0, pending.Length);
            if (frame.Length > CoalesceBytes / 2 || group.Count == 1)
            {
                WriteCoalesced();
                _active.Append(frame);
            }
            else
            {
                if (_coalesced + frame.Length > CoalesceBytes) WriteCoalesced();
                frame.CopyTo(_coalesce.AsSpan(_coalesced));
                _coalesced += frame.Length;
            }
            _activeLength += frame.Length;
            _activeHasFrames = true;
        }
        WriteCoalesced();
        if (_options.Fsync) _active.Sync();
        lock (_segmentsGate) _segments[^1].Length = _activeLength;
    }

    private void WriteCoalesced()
    {
        if (_coalesced == 0) return;
        int count = _coalesced;
        _coalesced = 0;
        _active.Append(_coalesce.AsSpan(0, count));
    }

    private void Roll(long firstLsn)
    {
        var file = CreateSegment(_fs, _directory, firstLsn, discontinuous: false, _options.Fsync);
        var previous = _active;
        _active = file;
        Seal(previous, firstLsn, _options.Fsync);
        _activeLength += JournalFormat.SealFrameLength;
        previous.Dispose();
        lock (_segmentsGate)
        {
            _segments[^1].Length = _activeLength;
            _segments.Add(new Segment(Path.Combine(_directory, JournalFormat.SegmentName(firstLsn)), firstLsn, JournalFormat.HeaderSize));
        }
        _activeLength = JournalFormat.HeaderSize;
        _activeHasFrames = false;
    }

    // Best effort after a failed group: cut off its frames (none was acknowledged) so a reopened
    // journal does not show writes whose callers were told they failed. Recovery copes with any leftover.
    private void Rollback(Segment activeBefore, long lengthBefore)
    {
        _coalesced = 0;
        try
        {
            lock (_segmentsGate)
            {
                bool rolled = _segments[^1] != activeBefore;
                if (rolled) _active.Dispose();   // the segments rolled past were closed by Roll
                while (_segments[^1] != activeBefore)
                {
                    _fs.Delete(_segments[^1].Path);
                    _segments.RemoveAt(_segments.Count - 1);
                }
                if (rolled) _active = _fs.Open(activeBefore.Path);
                _active.Truncate(lengthBefore);
                if (_options.Fsync) _active.Sync();
                activeBefore.Length = lengthBefore;
            }
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // The disk is failing: leave it to recovery.
        }
    }

    private void FailStop(string what, string remedy, Exception cause, List<Pending> inFlight, bool returnFrames)
    {
        var failure = new StemeException(StemeErrorCode.StorageFailure,
            $"The journal at '{_directory}' {what}: the store has stopped accepting writes to protect acknowledged data; {remedy}.",
            cause);
        List<Pending> queued;
        lock (_gate)
        {
            _failure ??= failure;
            queued = _queue;
            _queue = [];
        }
        foreach (var pending in inFlight)
        {
            pending.Fail(NewFailure());
            Interlocked.Add(ref _pendingBytes, -pending.Length);
            if (returnFrames) FrameBuffer.Return(pending.Frame);
        }
        foreach (var pending in queued)
        {
            pending.Fail(NewFailure());
            Interlocked.Add(ref _pendingBytes, -pending.Length);
            FrameBuffer.Return(pending.Frame);
        }
        // Both places: the failed group and the queue behind it may each have writers asleep.
        _wakeups.WakeAll(0);
        _wakeups.WakeAll(1);
    }
}
