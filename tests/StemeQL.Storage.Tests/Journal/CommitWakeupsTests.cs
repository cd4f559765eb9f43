using StemeQL.Storage.Journal;

namespace StemeQL.Storage.Tests.Journal;

public sealed class CommitWakeupsTests
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(30);

    [Fact]
    public void Linux_writers_sleep_on_futex_words()
    {
        // The fallback works too (below); this guards against the probe quietly failing where it should not.
        Assert.Equal(OperatingSystem.IsLinux(), CommitWakeups.UsesFutex);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_wait_on_a_completed_task_returns_at_once(bool futex)
    {
        var wakeups = CommitWakeups.Create(futex);
        await Task.Run(() => wakeups.Wait(7, Task.CompletedTask)).WaitAsync(Hang);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Every_writer_of_a_group_wakes_once_its_task_completes_and_only_then(bool futex)
    {
        var wakeups = CommitWakeups.Create(futex);
        var group = new TaskCompletionSource();
        var next = new TaskCompletionSource();
        bool completed = false;
        Task<bool> Sleeper(int generation, Task durable) => Task.Factory.StartNew(() =>
        {
            wakeups.Wait(generation, durable);
            return Volatile.Read(ref completed);
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        var sleepers = Enumerable.Range(0, 8).Select(_ => Sleeper(4, group.Task)).ToList();
        var nextGroup = Sleeper(5, next.Task);
        await Task.Delay(50);
        Assert.DoesNotContain(sleepers, s => s.IsCompleted);
        Volatile.Write(ref completed, true);
        group.SetResult();
        wakeups.WakeAll(4);
        Assert.All(await Task.WhenAll(sleepers).WaitAsync(Hang), Assert.True);
        Assert.False(nextGroup.IsCompleted);   // the next group's task has not completed
        next.SetResult();
        wakeups.WakeAll(5);
        Assert.True(await nextGroup.WaitAsync(Hang));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task No_wake_up_is_lost_when_the_commit_races_the_writer_going_to_sleep(bool futex)
    {
        // Round by round, a committer completes a task and wakes its place while the writer is on its way to
        // sleep on it. A wake-up lost between the writer's look at the task and its sleep would leave it
        // asleep for good (and the test timed out).
        const int Rounds = 20_000;
        var wakeups = CommitWakeups.Create(futex);
        var tasks = Enumerable.Range(0, Rounds).Select(_ => new TaskCompletionSource()).ToArray();
        int arrived = -1;
        var writer = Task.Factory.StartNew(() =>
        {
            for (int i = 0; i < Rounds; i++)
            {
                Volatile.Write(ref arrived, i);
                wakeups.Wait(i, tasks[i].Task);
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        var committer = Task.Factory.StartNew(() =>
        {
            for (int i = 0; i < Rounds; i++)
            {
                while (Volatile.Read(ref arrived) < i) Thread.SpinWait(20);
                tasks[i].SetResult();
                wakeups.WakeAll(i);
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        await Task.WhenAll(writer, committer).WaitAsync(Hang);
    }
}
