using StemeQL.Storage.Abstractions;

namespace StemeQL.Planner.Execution;

// What a read waits for before it reads the views: the consistency levels and visibility tokens.
public sealed partial class Session
{
    private const string TokenReason = "the command's MinimumLsn";
    private const string OwnWriteReason = "this connection's last write";
    private const string ProcessReason = "every write acknowledged in this process, as Consistency=Process asks";
    private const string ExplicitReason = "the LSN passed to WaitForLsn";

    /// <summary>
    /// The LSN of the newest write this session made (its visibility token); 0 before it writes. A read
    /// on any connection that waits for this LSN sees the write.
    /// </summary>
    public long LastWriteLsn => _lastWriteLsn;

    /// <summary>True when the views already include <paramref name="lsn"/>, so a wait for it would return at once.</summary>
    public bool HasMaterialized(long lsn) => lsn <= 0 || Store.MaterializedLsn >= lsn;

    /// <summary>
    /// Blocks until the views include <paramref name="lsn"/> (a visibility token from any connection's
    /// <see cref="LastWriteLsn"/>), so that reads after it see that write at every consistency level.
    /// </summary>
    /// <exception cref="StemeException">The LSN is beyond the store's newest write (InvalidParameterValue), or the store failed (StorageFailure).</exception>
    /// <exception cref="OperationCanceledException">Cancelled; it says how far behind the views were.</exception>
    public void WaitForLsn(long lsn, CancellationToken cancellation)
    {
        if (lsn <= 0) return;
        CheckToken(lsn, ExplicitReason);
        Wait(lsn, ExplicitReason, cancellation);
    }

    /// <summary>Like <see cref="WaitForLsn(long, CancellationToken)"/>, without holding a thread while it waits.</summary>
    public async Task WaitForLsnAsync(long lsn, CancellationToken cancellation)
    {
        if (lsn <= 0) return;
        CheckToken(lsn, ExplicitReason);
        try
        {
            await Store.WaitForMaterializedAsync(lsn, cancellation).ConfigureAwait(false);
        }
        catch (OperationCanceledException cancelled)
        {
            throw Behind(lsn, ExplicitReason, cancelled);
        }
    }

    // Only Process looks beyond this session, and a read-only session never does: no writer of the
    // folder is in this process, and asking the store would cost SQLite queries on every read.
    private void WaitForVisibility(long minimumLsn, CancellationToken cancellation)
    {
        var consistency = _options.Consistency;
        if (consistency == ReadConsistency.AtLeast && minimumLsn <= 0)
        {
            throw new InvalidOperationException(
                "Consistency=AtLeast needs a visibility token on every read: set the command's MinimumLsn to the LastWriteLsn of the write it must see, or use Consistency=ReadYourWrites.");
        }
        if (minimumLsn > 0) CheckToken(minimumLsn, TokenReason);
        long target = minimumLsn;
        string reason = TokenReason;
        if (consistency != ReadConsistency.Eventual && _lastWriteLsn > target) (target, reason) = (_lastWriteLsn, OwnWriteReason);
        if (consistency == ReadConsistency.Process && !_options.ReadOnly && Store.LastLsn is var last && last > target) (target, reason) = (last, ProcessReason);
        if (target > 0) Wait(target, reason, cancellation);
    }

    private void Wait(long lsn, string reason, CancellationToken cancellation)
    {
        try
        {
            Store.WaitForMaterialized(lsn, cancellation);
        }
        catch (OperationCanceledException cancelled)
        {
            throw Behind(lsn, reason, cancelled);
        }
    }

    // A token beyond every acknowledged write was never handed out by this store, and a wait for it
    // would never end. A read-only store learns the writer process's LSNs late, so it waits instead.
    private void CheckToken(long lsn, string reason)
    {
        if (_options.ReadOnly) return;
        long last = Store.LastLsn;
        if (lsn > last)
        {
            throw new StemeException(StemeErrorCode.InvalidParameterValue,
                $"LSN {lsn} ({reason}) is beyond the newest write of this data source (LSN {last}): pass a LastWriteLsn taken from a connection to the same Data Source.");
        }
    }

    private VisibilityWaitCanceledException Behind(long lsn, string reason, OperationCanceledException cancelled)
    {
        var status = Store.Status;
        return new VisibilityWaitCanceledException(lsn, reason, status.MaterializedLsn, status.LagMilliseconds, cancelled);
    }
}
