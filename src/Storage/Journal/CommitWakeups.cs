using System.Runtime.InteropServices;

namespace StemeQL.Storage.Journal;

/// <summary>
/// Where synchronous writers sleep until their group commit is durable, and how the committer wakes the
/// whole group at once. Groups alternate between two sleeping places by the parity of their generation:
/// the writers that queue while a group is committed belong to the next group and sleep in the other
/// place, so waking one place wakes one group and nobody else.
/// </summary>
/// <remarks>
/// On Linux each place is a futex word: the committer bumps the word and wakes every sleeper in one call.
/// Woken one by one, each woken writer preempted the committer on two cores (about 0.4 involuntary context
/// switches per write with sixteen writers); a <see cref="ManualResetEventSlim"/> per writer had also made
/// the woken writer take the event's monitor back while the committer still held it (a second sleep).
/// Elsewhere each place is a monitor.
/// </remarks>
internal abstract class CommitWakeups
{
    /// <summary>Futex words where the platform has them.</summary>
    public static CommitWakeups Create() => Create(preferFutex: true);

    /// <summary>Futex words where the platform has them and <paramref name="preferFutex"/> says so, else monitors (tests run both).</summary>
    internal static CommitWakeups Create(bool preferFutex) => preferFutex && Futex.Supported ? new FutexWakeups() : new MonitorWakeups();

    /// <summary>True when <see cref="Create()"/> uses futex words here.</summary>
    internal static bool UsesFutex => Futex.Supported;

    /// <summary>Returns once <paramref name="durable"/> has completed; sleeps in <paramref name="generation"/>'s place meanwhile.</summary>
    public abstract void Wait(int generation, Task durable);

    /// <summary>Wakes every writer sleeping in <paramref name="generation"/>'s place; call after completing their tasks.</summary>
    public abstract void WakeAll(int generation);

    private sealed class FutexWakeups : CommitWakeups
    {
        private const int Stride = 16;   // the two places on separate cache lines
        private const int Sleepers = 1;  // beside each word: how many writers are in Wait there

        // Pinned, so the kernel's addresses for the words never change.
        private readonly int[] _words = GC.AllocateArray<int>(2 * Stride, pinned: true);
        private readonly IntPtr _base;

        public FutexWakeups() => _base = Marshal.UnsafeAddrOfPinnedArrayElement(_words, 0);

        public override void Wait(int generation, Task durable)
        {
            int index = (generation & 1) * Stride;
            Interlocked.Increment(ref _words[index + Sleepers]);
            try
            {
                while (true)
                {
                    // Read before the task: the committer completes the task before it bumps the word, so a
                    // bump after this read makes the kernel return at once instead of sleeping.
                    int seen = Volatile.Read(ref _words[index]);
                    if (durable.IsCompleted) return;
                    Futex.Wait(_base + index * sizeof(int), seen);
                }
            }
            finally
            {
                Interlocked.Decrement(ref _words[index + Sleepers]);
            }
        }

        public override void WakeAll(int generation)
        {
            int index = (generation & 1) * Stride;
            Interlocked.Increment(ref _words[index]);
            // Both counters are changed with full fences: a writer this misses counted itself after the
            // bump above, so it sees the bump, and the completed task, before it could sleep. A lone
            // writer that committed its own write then makes no wake call.
            if (Volatile.Read(ref _words[index + Sleepers]) > 0) Futex.WakeAll(_base + index * sizeof(int));
        }
    }

    private sealed class MonitorWakeups : CommitWakeups
    {
        private readonly object[] _places = [new(), new()];

        public override void Wait(int generation, Task durable)
        {
            var place = _places[generation & 1];
            lock (place)
            {
                while (!durable.IsCompleted) Monitor.Wait(place);
            }
        }

        public override void WakeAll(int generation)
        {
            var place = _places[generation & 1];
            lock (place) Monitor.PulseAll(place);
        }
    }

    // futex(2) through libc's syscall(): .NET has no futex of its own.
    private static class Futex
    {
        private const int WaitPrivate = 128;   // FUTEX_WAIT | FUTEX_PRIVATE_FLAG
        private const int WakePrivate = 129;   // FUTEX_WAKE | FUTEX_PRIVATE_FLAG

        private static readonly long s_number = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => 202,
            Architecture.Arm64 => 98,
            _ => -1,
        };

        public static bool Supported { get; } = OperatingSystem.IsLinux() && s_number > 0 && Probe();

        public static void Wait(IntPtr word, int expected) => syscall(s_number, word, WaitPrivate, expected, IntPtr.Zero, IntPtr.Zero, 0);

        public static void WakeAll(IntPtr word)
        {
            // Nothing else wakes the writers, so a failed wake must not pass silently.
            if (syscall(s_number, word, WakePrivate, int.MaxValue, IntPtr.Zero, IntPtr.Zero, 0) < 0)
                throw new InvalidOperationException($"futex wake failed (errno {Marshal.GetLastPInvokeError()}).");
        }

        // A wake with nobody waiting returns 0 where futexes work (a sandbox may refuse the call).
        private static bool Probe()
        {
            try
            {
                var word = GC.AllocateArray<int>(1, pinned: true);
                bool works = syscall(s_number, Marshal.UnsafeAddrOfPinnedArrayElement(word, 0), WakePrivate, 1, IntPtr.Zero, IntPtr.Zero, 0) == 0;
                GC.KeepAlive(word);
                return works;
            }
            catch (Exception error) when (error is DllNotFoundException or EntryPointNotFoundException)
            {
                return false;
            }
        }

#pragma warning disable SYSLIB1054 // LibraryImport needs unsafe code, which this assembly does not enable
        // syscall is variadic in C; glibc's is a few register moves in assembly, so a fixed
        // signature with integer arguments passes them where it looks on x64 and arm64.
        [DllImport("libc", SetLastError = true, ExactSpelling = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        private static extern long syscall(long number, IntPtr word, int operation, int value, IntPtr timeout, IntPtr word2, int value3);
#pragma warning restore SYSLIB1054
    }
}
