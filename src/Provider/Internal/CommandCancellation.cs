using StemeQL.Planner.Execution;

namespace StemeQL.Internal;

/// <summary>
/// The cancellation of one command execution: the caller's token, <c>Cancel()</c>, and the command
/// timeout, told apart so that only the timeout becomes a <see cref="StemeErrorCode.Timeout"/> error.
/// </summary>
internal sealed class CommandCancellation : IDisposable
{
    // One source per execution, linked to the caller's token only when that can fire: a second,
    // linked source and its registrations were ~200 of the ~1,850 bytes a write command allocated.
    private readonly CancellationTokenSource _source;
    private readonly CancellationToken _caller;
    private readonly int _seconds;
    private volatile bool _cancelled;

    public CommandCancellation(int seconds, CancellationToken caller)
    {
        _seconds = seconds;
        _caller = caller;
        _source = caller.CanBeCanceled ? CancellationTokenSource.CreateLinkedTokenSource(caller) : new CancellationTokenSource();
        if (seconds > 0) _source.CancelAfter(TimeSpan.FromSeconds(seconds));
    }

    /// <summary>The token the execution observes.</summary>
    public CancellationToken Token => _source.Token;

    /// <summary>Cancels the execution (<c>DbCommand.Cancel</c>).</summary>
    public void Cancel()
    {
        _cancelled = true;
        // Cancel() may race with the reader finishing; cancelling a finished execution does nothing.
        try { _source.Cancel(); } catch (ObjectDisposedException) { }
    }

    // Neither Cancel() nor the caller's token: the timer fired.
    private bool TimedOut => _source.IsCancellationRequested && !_cancelled && !_caller.IsCancellationRequested;

    /// <summary>Runs <paramref name="action"/>, turning a timeout into a <see cref="StemeException"/>.</summary>
    public T Guard<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (OperationCanceledException e) when (TimedOut)
        {
            string what = $"The command did not finish within its CommandTimeout of {_seconds} s";
            // A read that never started reading was waiting for the views: say for what, not "narrow the query".
            throw new StemeException(StemeErrorCode.Timeout, e is VisibilityWaitCanceledException wait
                ? wait.TimeoutMessage(what, "raise CommandTimeout (0 waits forever)")
                : what + ": narrow the query (pin the subject) or raise CommandTimeout.", e);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _source.Dispose();
}
