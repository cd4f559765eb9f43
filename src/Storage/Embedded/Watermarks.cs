namespace StemeQL.Storage.Embedded;

/// <summary>
/// The durable, ingested and materialized LSNs, and a way to wait for the materialized one. A failed
/// write does not fail the waiters (reads keep working); a stopped ingestor wakes them.
/// </summary>
internal sealed class Watermarks
{
    private readonly object _gate = new(); // Monitor.Wait/Pulse need an object lock
    private long _durable;
    private long _ingested;
    private long _materialized;
    private Exception? _failure;
    private bool _ingestStopped;

    public Watermarks(long durable, long ingested, long materialized) =>
        (_durable, _ingested, _materialized) = (durable, ingested, materialized);

    public long Durable => Volatile.Read(ref _durable);

    public long Ingested => Volatile.Read(ref _ingested);

    public long Materialized => Volatile.Read(ref _materialized);

    public Exception? Failure => Volatile.Read(ref _failure);

    public void SetDurable(long lsn) => Volatile.Write(ref _durable, lsn);

    public void SetIngested(long lsn) => Volatile.Write(ref _ingested, lsn);

    public void SetMaterialized(long lsn)
    {
        lock (_gate)
        {
            Volatile.Write(ref _materialized, lsn);
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Records the first failure and wakes every waiter.</summary>
    public void Fail(Exception failure)
    {
        lock (_gate)
        {
            _failure ??= failure;
            Monitor.PulseAll(_gate);
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
        if (Materialized >= lsn) return;
        using var wake = cancellation.Register(() => { lock (_gate) Monitor.PulseAll(_gate); });
        lock (_gate)
        {
            while (_materialized < lsn && !_ingestStopped)
            {
                cancellation.ThrowIfCancellationRequested();
                Monitor.Wait(_gate);
            }
        }
    }
}
