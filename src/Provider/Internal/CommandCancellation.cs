using StemeQL.Planner.Execution;

namespace StemeQL.Internal;

/// <summary>
/// The cancellation of one command execution: the caller's token, <c>Cancel()</c>, and the command
/// timeout, told apart so that only the timeout becomes a <see cref="StemeErrorCode.Timeout"/> error.
/// </summary>
internal sealed class CommandCancellation : IDisposable
{
    private readonly CancellationTokenSource _timeout;
    private readonly CancellationTokenSource _linked;
    private readonly int _seconds;

    public CommandCancellation(int seconds, CancellationToken caller)
    {
        _seconds = seconds;
        _timeout = seconds > 0 ? new CancellationTokenSource(TimeSpan.FromSeconds(seconds)) : new CancellationTokenSource();
        _linked = CancellationTokenSource.CreateLinkedTokenSource(caller, _timeout.Token);
    }

    /// <summary>The token the execution observes.</summary>
    public CancellationToken Token => _linked.Token;

    /// <summary>Cancels the execution (<c>DbCommand.Cancel</c>).</summary>
    public void Cancel()
    {
        // Cancel() may race with the reader finishing; cancelling a finished execution does nothing.
        try { _linked.Cancel(); } catch (ObjectDisposedException) { }
    }

    /// <summary>Runs <paramref name="action"/>, turning a timeout into a <see cref="StemeException"/>.</summary>
    public T Guard<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (OperationCanceledException e) when (_timeout.IsCancellationRequested)
        {
            string what = $"The command did not finish within its CommandTimeout of {_seconds} s";
            // A read that never started reading was waiting for the views: say for what, not "narrow the query".
            throw new StemeException(StemeErrorCode.Timeout, e is VisibilityWaitCanceledException wait
                ? wait.TimeoutMessage(what, "raise CommandTimeout (0 waits forever)")
                : what + ": narrow the query (pin the subject) or raise CommandTimeout.", e);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _linked.Dispose();
        _timeout.Dispose();
    }
}
