namespace StemeQL.Storage.Embedded;

/// <summary>
/// The durable, ingested and materialized LSNs, and a way to wait for the materialized one. A failed
/// write does not fail the waiters (reads keep working); a stopped ingestor wakes them.
/// </summary>
internal sealed class Watermarks
{
    private readonly object _gate = new(); // Monitor.Wait/Pulse need an object lock
    private readonly List<(long Lsn, TaskCompletionSource Done)> _asyncWaiters = [];
    private long _durable;
    private long _ingested;
    private long _materialized;
    private Exception? _failure;
    private bool _ingestStopped;
    private int _waiting; // threads in WaitForMaterialized or WaitForRoom
    private int _asyncWaiting; // _asyncWaiters.Count, readable without the lock
    private Action? _demand;

    public Watermarks(long durable, long ingested, long materialized) =>
        (_durable, _ingested, _materialized) = (durable, ingested, materialized);

    public long Durable => Volatile.Read(ref _durable);

    public long Ingested => Volatile.Read(ref _ingested);

    public long Materialized => Volatile.Read(ref _materialized);

    public Exception? Failure => Volatile.Read(ref _failure);

    public void SetDurable(long lsn) => Volatile.Write(ref _durable, lsn);

    /// <summary>Someone is waiting for the materialized watermark: the ingestor applies now instead of pacing its commits.</summary>
    public bool HasWaiters => Volatile.Read(ref _waiting) > 0 || Volatile.Read(ref _asyncWaiting) > 0;

    /// <summary>Called (outside this object's lock) whenever a waiter arrives, so a pacing ingestor wakes for it.</summary>
    public void OnDemand(Action demand) => _demand = demand;

    public void SetIngested(long lsn) => Volatile.Write(ref _ingested, lsn);

    public void SetMaterialized(long lsn)
    {
        lock (_gate)
        {
            Volatile.Write(ref _materialized, lsn);
            Monitor.PulseAll(_gate);
            for (int i = _asyncWaiters.Count - 1; i >= 0; i--)
            {
                if (_asyncWaiters[i].Lsn > lsn) continue;
                _asyncWaiters[i].Done.TrySetResult();
                _asyncWaiters.RemoveAt(i);
            }
            Volatile.Write(ref _asyncWaiting, _asyncWaiters.Count);
        }
    }

    /// <summary>Records the first failure and wakes every waiter.</summary>
    public void Fail(Exception failure)
    {
        lock (_gate)
        {
            _failure ??= failure;
            Monitor.PulseAll(_gate);
            foreach (var waiter in _asyncWaiters) waiter.Done.TrySetException(StoreFailure.Stopped(_failure));
            _asyncWaiters.Clear();
            Volatile.Write(ref _asyncWaiting, 0);
        }
    }

    /// <summary>Records that the ingestor has stopped on <paramref name="failure"/>: the views will not move again.</summary>
    public void FailIngest(Exception failure)
    {
        lock (_gate)
        {
            _ingestStopped = true;
            _failure ??= failure;
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>
    /// Blocks until the materialized watermark reaches <paramref name="lsn"/>, or returns early once the
    /// ingestor has stopped: the views will not move again, and reads still work on what they hold.
    /// </summary>
    public void WaitForMaterialized(long lsn, CancellationToken cancellation)
    {
        // The common case (caught up) allocates nothing and takes no lock: no registration, no timer.
        if (Materialized >= lsn) return;
        using var wake = cancellation.CanBeCanceled ? cancellation.Register(PulseAll) : default;
        Arrive();
        try
        {
            lock (_gate)
            {
                while (_materialized < lsn && !_ingestStopped)
                {
                    cancellation.ThrowIfCancellationRequested();
                    Monitor.Wait(_gate);
                }
            }
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
    }

    /// <summary>
    /// Back-pressure: blocks until the materialized watermark reaches <paramref name="lsn"/>, or returns
    /// at once after any failure (the caller then reports it), so a writer never waits on views that
    /// will not move. <paramref name="cancellation"/> ends the wait with an <see cref="OperationCanceledException"/>.
    /// </summary>
    public void WaitForRoom(long lsn, CancellationToken cancellation)
    {
        if (Materialized >= lsn) return;
        using var wake = cancellation.CanBeCanceled ? cancellation.Register(PulseAll) : default;
        Arrive();
        try
        {
            lock (_gate)
            {
                while (_materialized < lsn && !_ingestStopped && _failure is null)
                {
                    cancellation.ThrowIfCancellationRequested();
                    Monitor.Wait(_gate);
                }
            }
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
    }

    /// <summary>Completes when the materialized watermark reaches <paramref name="lsn"/>, without holding a thread.</summary>
    public Task WaitForMaterializedAsync(long lsn, CancellationToken cancellation)
    {
        if (Materialized >= lsn) return Task.CompletedTask;
        if (cancellation.IsCancellationRequested) return Task.FromCanceled(cancellation);
        TaskCompletionSource done;
        lock (_gate)
        {
            if (_materialized >= lsn) return Task.CompletedTask;
            if (_failure is not null) return Task.FromException(StoreFailure.Stopped(_failure));
            done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _asyncWaiters.Add((lsn, done));
            Volatile.Write(ref _asyncWaiting, _asyncWaiters.Count);
        }
        _demand?.Invoke();
        return cancellation.CanBeCanceled ? Cancellable(done, cancellation) : done.Task;
    }

    private async Task Cancellable(TaskCompletionSource done, CancellationToken cancellation)
    {
        try
        {
            await done.Task.WaitAsync(cancellation).ConfigureAwait(false);
        }
        finally
        {
            // A cancelled waiter leaves the list now rather than when the watermark passes it.
            if (!done.Task.IsCompleted)
            {
                lock (_gate)
                {
                    _asyncWaiters.RemoveAll(waiter => waiter.Done == done);
                    Volatile.Write(ref _asyncWaiting, _asyncWaiters.Count);
                }
            }
        }
    }

    // Counted before the demand, so the ingestor that wakes for it sees the waiter.
    private void Arrive()
    {
        Interlocked.Increment(ref _waiting);
        _demand?.Invoke();
    }

    private void PulseAll()
    {
        lock (_gate) Monitor.PulseAll(_gate);
    }
}
