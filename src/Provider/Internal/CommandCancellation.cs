using System.Diagnostics;
using StemeQL.Planner.Execution;

namespace StemeQL.Internal;

/// <summary>
/// The cancellation of one command execution: the caller's token, <c>Cancel()</c>, and the command
/// timeout, told apart so that only the timeout becomes a <see cref="StemeErrorCode.Timeout"/> error.
/// </summary>
/// <remarks>
/// A timer-backed source, a linked source and their registrations cost about half a kilobyte per
/// execution, which a keyed read cannot afford. So one source carries all three causes (a flag tells a
/// stop from the timeout), and a source that was never cancelled is reset and kept for the thread's
/// next execution. A lock (on this internal object) orders <see cref="Cancel"/> against <see cref="Dispose"/>, so a late
/// <c>Cancel()</c> never reaches a source that another execution has taken over. A command runs its next
/// execution on its previous one's finished object (<see cref="Next"/>): a <c>Cancel()</c> that arrives
/// between two executions does nothing, and one that arrives during the next cancels it, as it would
/// cancel a new one. The clock stops (<see cref="Pause"/>) while a write moves the caller's large values
/// into the object store: the timeout bounds waiting and evaluation, not the time their bytes take.
/// </remarks>
internal sealed class CommandCancellation : ICommandClock, IDisposable
{
    [ThreadStatic] private static CancellationTokenSource? t_spare;

    private CancellationTokenSource _source = null!;
    private CancellationTokenRegistration _caller;
    private int _seconds;
    private CommandDeadlines.Slot? _watched;
    private bool _stopped;   // by Cancel() or the caller's token, not by the timeout
    private bool _disposed;
    private int _pauses;     // nested Pause() calls not yet resumed
    private long _remaining; // Stopwatch ticks the timeout had left when the clock stopped

    public CommandCancellation(int seconds, CancellationToken caller) => Start(seconds, caller);

    /// <summary>
    /// The cancellation of a command's next execution: <paramref name="previous"/> started again when its
    /// execution has finished (disposed), else a new one.
    /// </summary>
    public static CommandCancellation Next(CommandCancellation? previous, int seconds, CancellationToken caller)
    {
        if (previous is null) return new CommandCancellation(seconds, caller);
        lock (previous)
        {
            if (!previous._disposed) return new CommandCancellation(seconds, caller);
            previous.Start(seconds, caller);
            return previous;
        }
    }

    private void Start(int seconds, CancellationToken caller)
    {
        (_seconds, _stopped, _disposed, _watched, _caller, _pauses) = (seconds, false, false, null, default, 0);
        _source = t_spare ?? new CancellationTokenSource();
        t_spare = null;
        Deadline = 0;
        if (seconds > 0)
        {
            Deadline = Stopwatch.GetTimestamp() + seconds * Stopwatch.Frequency;
            _watched = CommandDeadlines.TryWatch(this);
            if (_watched is null) _source.CancelAfter(TimeSpan.FromSeconds(seconds));
        }
        if (caller.CanBeCanceled) _caller = caller.UnsafeRegister(static state => ((CommandCancellation)state!).Stop(), this);
    }

    /// <summary>When the timeout falls due (a <see cref="Stopwatch"/> timestamp), when there is one.</summary>
    public long Deadline { get; private set; }

    /// <summary>The timeout has fallen due (<see cref="CommandDeadlines"/>): cancels unless finished or stopped.</summary>
    public void Expire()
    {
        lock (this)
        {
            // The deadline is checked again: this object may have finished and started a later execution since the timer looked.
            if (_disposed || _stopped || Stopwatch.GetTimestamp() < Deadline) return;
            _source.Cancel();
        }
    }

    /// <summary>
    /// Stops the timeout's clock (while a write stores the caller's large values): until the matching
    /// <see cref="Resume"/> the timeout cannot fire, and <see cref="Cancel"/> and the caller's token still
    /// cancel <see cref="Token"/>. A timeout that fired before stays fired.
    /// </summary>
    public void Pause()
    {
        lock (this)
        {
            if (_pauses++ > 0 || _seconds == 0) return;
            _remaining = Deadline - Stopwatch.GetTimestamp();
            // The shared timer finds nothing due; a timer of the execution's own is disarmed.
            Deadline = long.MaxValue;
            if (_watched is null) _source.CancelAfter(Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Starts the clock again with the time it had left at <see cref="Pause"/>.</summary>
    public void Resume()
    {
        lock (this)
        {
            if (_pauses == 0) throw new InvalidOperationException("Resume() without Pause().");
            if (--_pauses > 0 || _seconds == 0) return;
            Deadline = Stopwatch.GetTimestamp() + _remaining;
            // At least a millisecond: the timer cancels, not this call under the lock.
            if (_watched is null && !_source.IsCancellationRequested)
                _source.CancelAfter(TimeSpan.FromMilliseconds(Math.Max(1, _remaining * 1000.0 / Stopwatch.Frequency)));
        }
    }

    /// <summary>The token the execution observes.</summary>
    public CancellationToken Token => _source.Token;

    /// <summary>Cancels the execution (<c>DbCommand.Cancel</c>); cancelling a finished execution does nothing.</summary>
    public void Cancel() => Stop();

    /// <summary>Runs <paramref name="action"/>, turning a timeout into a <see cref="StemeException"/>.</summary>
    public T Guard<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (OperationCanceledException e) when (TimedOut)
        {
            throw TimeoutError(e);
        }
    }

    /// <summary>Runs <paramref name="action"/> on <paramref name="state"/> (a static lambda allocates nothing), turning a timeout into a <see cref="StemeException"/>.</summary>
    public T Guard<TState, T>(TState state, Func<TState, T> action)
    {
        try
        {
            return action(state);
        }
        catch (OperationCanceledException e) when (TimedOut)
        {
            throw TimeoutError(e);
        }
    }

    /// <summary>Moves <paramref name="rows"/> on, turning a timeout into a <see cref="StemeException"/> (no delegate per row).</summary>
    public bool MoveNext<T>(IEnumerator<T> rows)
    {
        try
        {
            return rows.MoveNext();
        }
        catch (OperationCanceledException e) when (TimedOut)
        {
            throw TimeoutError(e);
        }
    }

    private bool TimedOut
    {
        get
        {
            lock (this) return !_stopped && !_disposed && _source.IsCancellationRequested;
        }
    }

    private StemeException TimeoutError(OperationCanceledException e)
    {
        string what = $"The command did not finish within its CommandTimeout of {_seconds} s";
        // A read that never started reading was waiting for the views: say for what, not "narrow the query".
        return new StemeException(StemeErrorCode.Timeout, e is VisibilityWaitCanceledException wait
            ? wait.TimeoutMessage(what, "raise CommandTimeout (0 waits forever)")
            : what + ": narrow the query (pin the subject) or raise CommandTimeout.", e);
    }

    private void Stop()
    {
        lock (this)
        {
            if (_disposed) return;
            _stopped = true;
            _source.Cancel();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        // Waits for a caller-token callback that is running, so none runs after this.
        _caller.Dispose();
        if (_watched is not null) CommandDeadlines.Unwatch(_watched, this);
        lock (this)
        {
            if (_disposed) return;
            _disposed = true;
        }
        if (_source.TryReset() && t_spare is null)
        {
            t_spare = _source;
            return;
        }
        _source.Dispose();
    }
}
