using System.Diagnostics;
using StemeQL.Internal;

namespace StemeQL.Tests.Provider;

/// <summary>
/// The command timeout's clock stops while a write stores the caller's large values, and the timeout
/// then applies to the rest of the command with the time it had left.
/// </summary>
public sealed class CommandClockTests
{
    [Fact]
    public void A_paused_timeout_does_not_fire_and_fires_after_resuming_with_the_time_it_had_left()
    {
        using var execution = new CommandCancellation(1, default);
        AssertPausedThenResumed(execution);
    }

    [Fact]
    public void The_clock_of_an_execution_with_a_timer_of_its_own_pauses_too()
    {
        // The thread's deadline slot is the first execution's, so the second arms a timer of its own.
        using var first = new CommandCancellation(30, default);
        using var second = new CommandCancellation(1, default);
        AssertPausedThenResumed(second);
    }

    [Fact]
    public void Cancel_still_cancels_while_the_clock_is_paused()
    {
        using var execution = new CommandCancellation(1, default);
        execution.Pause();
        execution.Cancel();
        Assert.True(execution.Token.IsCancellationRequested);
        // A stop is not a timeout: the cancellation reaches the caller as it is.
        Assert.Throws<OperationCanceledException>(() => execution.Guard(() => Throw(execution.Token)));
        execution.Resume();
    }

    [Fact]
    public void A_timeout_that_fired_before_the_pause_stays_a_timeout()
    {
        using var execution = new CommandCancellation(1, default);
        Assert.True(execution.Token.WaitHandle.WaitOne(TimeSpan.FromSeconds(10)));
        execution.Pause();
        var error = Assert.Throws<StemeException>(() => execution.Guard(() => Throw(execution.Token)));
        Assert.Equal(StemeErrorCode.Timeout, error.ErrorCode);
        execution.Resume();
    }

    private static void AssertPausedThenResumed(CommandCancellation execution)
    {
        execution.Pause();
        Thread.Sleep(TimeSpan.FromSeconds(1.5));
        Assert.False(execution.Token.IsCancellationRequested, "the timeout fired while its clock was stopped");
        var clock = Stopwatch.StartNew();
        execution.Resume();
        Assert.True(execution.Token.WaitHandle.WaitOne(TimeSpan.FromSeconds(10)), "the timeout never fired after the clock started again");
        // About the second it had left (the shared timer ticks every 100 ms).
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.8), TimeSpan.FromSeconds(5));
        var error = Assert.Throws<StemeException>(() => execution.Guard(() => Throw(execution.Token)));
        Assert.Equal(StemeErrorCode.Timeout, error.ErrorCode);
    }

    private static int Throw(CancellationToken token)
    {
        token.ThrowIfCancellationRequested();
        return 0;
    }
}
