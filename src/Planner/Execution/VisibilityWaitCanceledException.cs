using System.Globalization;

namespace StemeQL.Planner.Execution;

/// <summary>
/// A read's wait for the views to reach an LSN was cancelled (or timed out): what it waited for, why,
/// and how far behind the views were, so the timeout error can say so.
/// </summary>
internal sealed class VisibilityWaitCanceledException(
    long targetLsn, string reason, long materializedLsn, double lagMilliseconds, OperationCanceledException inner)
    : OperationCanceledException($"The wait for the views to include LSN {targetLsn} was cancelled.", inner, inner.CancellationToken)
{
    /// <summary>The LSN the read waited for.</summary>
    public long TargetLsn { get; } = targetLsn;

    /// <summary>Where the target came from, e.g. "this connection's last write".</summary>
    public string Reason { get; } = reason;

    /// <summary>The views' LSN when the wait ended.</summary>
    public long MaterializedLsn { get; } = materializedLsn;

    /// <summary>How long the oldest acknowledged write not yet in the views had waited, in milliseconds.</summary>
    public double LagMilliseconds { get; } = lagMilliseconds;

    /// <summary>The user-facing text of the timeout: what the read waited for, how far behind the views are, and what to do.</summary>
    /// <param name="what">What timed out, e.g. "The command did not finish within its CommandTimeout of 30 s".</param>
    /// <param name="raise">How to wait longer, e.g. "raise CommandTimeout (0 waits forever)".</param>
    /// <param name="suggestWaitForLsn">Also suggest waiting with WaitForLsn first (not when WaitForLsn is what timed out).</param>
    public string TimeoutMessage(string what, string raise, bool suggestWaitForLsn = true)
    {
        long behind = Math.Max(0, TargetLsn - MaterializedLsn);
        string state = string.Create(CultureInfo.InvariantCulture,
            $"it was waiting for the views to include LSN {TargetLsn} ({Reason}), and they are at LSN {MaterializedLsn}, {behind} writes behind, the oldest waiting {LagMilliseconds:F0} ms");
        string waitFirst = suggestWaitForLsn
            ? $"; or wait for LSN {TargetLsn.ToString(CultureInfo.InvariantCulture)} first (connection.WaitForLsn) and read again."
            : ", or try again later.";
        return $"{what}: {state}. To read the views as they are, use Consistency=Eventual; to wait longer, {raise}{waitFirst}";
    }
}
