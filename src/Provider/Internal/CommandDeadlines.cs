using System.Diagnostics;

namespace StemeQL.Internal;

/// <summary>
/// Command timeouts checked by one shared timer every <see cref="PeriodMilliseconds"/> instead of a
/// timer armed and disarmed per execution: arming and disarming a <see cref="CancellationTokenSource"/>'s
/// timer takes the runtime's timer-queue lock twice, which was a sixth of the CPU of a VOTE buffered in a
/// transaction. Each thread has one slot for the execution it is running; a thread that starts a second
/// execution while its first is still open (a reader being read) gets no slot and arms a timer as before.
/// The timer stops when it finds no execution for a few seconds.
/// </summary>
internal static class CommandDeadlines
{
    /// <summary>How often deadlines are checked: a timeout fires up to this late.</summary>
    public const int PeriodMilliseconds = 100;

    private const int IdleTicksBeforeStop = 50;

    private static readonly Lock Gate = new();
    private static readonly List<Slot> Slots = [];
    [ThreadStatic] private static Slot? t_slot;
    private static Timer? s_timer;
    private static int s_idleTicks;

    /// <summary>One thread's running execution, or null.</summary>
    internal sealed class Slot(Thread owner)
    {
        public readonly Thread Owner = owner;
        public CommandCancellation? Current;
    }

    /// <summary>
    /// Watches <paramref name="execution"/> (whose <see cref="CommandCancellation.Deadline"/> is set) from
    /// this thread's slot; null when the slot is taken, and the caller arms its own timer.
    /// </summary>
    public static Slot? TryWatch(CommandCancellation execution)
    {
        var slot = t_slot ?? Register();
        if (Interlocked.CompareExchange(ref slot.Current, execution, null) is not null) return null;
        // After publishing the execution (a full fence): a timer stopping now re-checks the slots.
        if (Volatile.Read(ref s_timer) is null) StartTimer();
        return slot;
    }

    /// <summary>Stops watching <paramref name="execution"/>.</summary>
    public static void Unwatch(Slot slot, CommandCancellation execution) =>
        Interlocked.CompareExchange(ref slot.Current, null, execution);

    private static Slot Register()
    {
        var slot = new Slot(Thread.CurrentThread);
        lock (Gate) Slots.Add(slot);
        return t_slot = slot;
    }

    private static void StartTimer()
    {
        lock (Gate)
        {
            s_idleTicks = 0;
            s_timer ??= NewTimer();
        }
    }

    // Not tied to the execution context: the timer must not keep the caller's AsyncLocals alive.
    private static Timer NewTimer()
    {
        using (ExecutionContext.SuppressFlow())
            return new Timer(static _ => Tick(), null, PeriodMilliseconds, PeriodMilliseconds);
    }

    private static void Tick()
    {
        long now = Stopwatch.GetTimestamp();
        List<CommandCancellation>? expired;
        lock (Gate) expired = Scan(now);
        // Outside the lock: cancelling runs the execution's callbacks.
        foreach (var execution in expired ?? []) execution.Expire();
    }

    // Under Gate: the executions past their deadline; forgets the slots of finished threads, and
    // stops the timer after a few idle seconds.
    private static List<CommandCancellation>? Scan(long now)
    {
        List<CommandCancellation>? expired = null;
        bool any = false;
        for (int i = Slots.Count - 1; i >= 0; i--)
        {
            var slot = Slots[i];
            if (Volatile.Read(ref slot.Current) is { } execution)
            {
                any = true;
                if (now >= execution.Deadline) (expired ??= []).Add(execution);
            }
            else if (!slot.Owner.IsAlive)
            {
                Slots.RemoveAt(i);
            }
        }
        if (any) s_idleTicks = 0;
        if (any || ++s_idleTicks < IdleTicksBeforeStop || s_timer is not { } timer) return expired;
        Interlocked.Exchange(ref s_timer, null);
        timer.Dispose();
        // An execution published just before the timer went: start it again for that one.
        if (Slots.Exists(slot => Volatile.Read(ref slot.Current) is not null)) s_timer = NewTimer();
        return expired;
    }
}
