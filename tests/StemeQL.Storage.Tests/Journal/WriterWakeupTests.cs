using StemeQL.Storage.Journal;

namespace StemeQL.Storage.Tests.Journal;

public sealed class WriterWakeupTests
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(30);

    [Fact]
    public void Linux_writers_sleep_on_a_futex()
    {
        // The fallback works too (below); this guards against the probe quietly failing where it should not.
        Assert.Equal(OperatingSystem.IsLinux(), WriterWakeup.UsesFutex);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_set_before_the_wait_lets_it_return_at_once(bool futex)
    {
        var wakeup = WriterWakeup.Create(futex);
        wakeup.Reset();
        wakeup.Set();
        await Task.Run(wakeup.Wait).WaitAsync(Hang);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_wait_returns_only_after_the_set(bool futex)
    {
        var wakeup = WriterWakeup.Create(futex);
        wakeup.Reset();
        bool set = false;
        var waiter = Task.Factory.StartNew(() =>
        {
            wakeup.Wait();
            return Volatile.Read(ref set);
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        await Task.Delay(50);
        Assert.False(waiter.IsCompleted);
        Volatile.Write(ref set, true);
        wakeup.Set();
        Assert.True(await waiter.WaitAsync(Hang));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task No_wake_up_is_lost_between_two_threads_taking_turns(bool futex)
    {
        // A ping-pong: each side wakes the other, then sleeps until woken back (and resets its own). A set
        // that raced a wait into the kernel and was lost would leave both asleep (and the test timed out).
        const int Rounds = 20_000;
        var ping = WriterWakeup.Create(futex);
        var pong = WriterWakeup.Create(futex);
        long turns = 0;
        var serve = Task.Factory.StartNew(() =>
        {
            for (int i = 0; i < Rounds; i++)
            {
                pong.Set();
                ping.Wait();
                ping.Reset();
                Interlocked.Increment(ref turns);
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        var answer = Task.Factory.StartNew(() =>
        {
            for (int i = 0; i < Rounds; i++)
            {
                pong.Wait();
                pong.Reset();
                Interlocked.Increment(ref turns);
                ping.Set();
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        await Task.WhenAll(serve, answer).WaitAsync(Hang);
        Assert.Equal(2 * Rounds, Interlocked.Read(ref turns));
    }
}
