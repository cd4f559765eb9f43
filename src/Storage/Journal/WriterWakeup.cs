using System.Runtime.InteropServices;

namespace StemeQL.Storage.Journal;

/// <summary>
/// A synchronous writer's wake-up: the writer sleeps in <see cref="Wait"/> until the committer that
/// synced its frame calls <see cref="Set"/>. One per writer thread; <see cref="Reset"/> before each write.
/// </summary>
/// <remarks>
/// On Linux it is a futex on a word of its own: setting it is one atomic exchange, plus one wake call
/// when the writer sleeps, and the woken writer takes no lock. A <see cref="ManualResetEventSlim"/>
/// wakes its waiter inside its monitor, and the waiter must take that monitor back before it returns:
/// with sixteen writers on two cores the woken writer often ran before the committer had left it, so it
/// slept a second time and the committer had to wake it again. Elsewhere it is such an event (without
/// spinning: spinning waiters took the CPU the committer needed).
/// </remarks>
internal abstract class WriterWakeup
{
    /// <summary>A wake-up for the calling thread's writes: a futex where the platform has one.</summary>
    public static WriterWakeup Create() => Create(preferFutex: true);

    /// <summary>A futex where the platform has one and <paramref name="preferFutex"/> says so, else an event (tests run both).</summary>
    internal static WriterWakeup Create(bool preferFutex) => preferFutex && Futex.Supported ? new FutexWakeup() : new EventWakeup();

    /// <summary>True when <see cref="Create()"/> makes a futex here.</summary>
    internal static bool UsesFutex => Futex.Supported;

    /// <summary>Makes the next <see cref="Wait"/> sleep until the next <see cref="Set"/>.</summary>
    public abstract void Reset();

    /// <summary>Wakes the writer (or lets its next <see cref="Wait"/> return at once). Any thread.</summary>
    public abstract void Set();

    /// <summary>Returns once <see cref="Set"/> has been called since the last <see cref="Reset"/>. The owning thread only.</summary>
    public abstract void Wait();

    private sealed class FutexWakeup : WriterWakeup
    {
        private const int Unset = 0;
        private const int IsSet = 1;
        private const int Sleeping = 2;   // the owner is (about to be) in the futex wait: Set must wake it

        // Pinned, so the kernel's address for it never changes.
        private readonly int[] _state = GC.AllocateArray<int>(1, pinned: true);
        private readonly IntPtr _address;

        public FutexWakeup() => _address = Marshal.UnsafeAddrOfPinnedArrayElement(_state, 0);

        public override void Reset() => Volatile.Write(ref _state[0], Unset);

        public override void Set()
        {
            if (Interlocked.Exchange(ref _state[0], IsSet) == Sleeping) Futex.WakeOne(_address);
        }

        public override void Wait()
        {
            if (Interlocked.CompareExchange(ref _state[0], Sleeping, Unset) == IsSet) return;
            // The kernel sleeps only while the word still says Sleeping, so a Set between the exchange
            // above and the wait is not lost; spurious and interrupted returns just look again.
            while (Volatile.Read(ref _state[0]) == Sleeping) Futex.Wait(_address, Sleeping);
        }
    }

    private sealed class EventWakeup : WriterWakeup
    {
        private readonly ManualResetEventSlim _event = new(initialState: false, spinCount: 0);

        public override void Reset() => _event.Reset();

        public override void Set() => _event.Set();

        public override void Wait() => _event.Wait();
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

        public static void WakeOne(IntPtr word)
        {
            // Nothing else can wake the writer, so a failed wake must not pass silently.
            if (syscall(s_number, word, WakePrivate, 1, IntPtr.Zero, IntPtr.Zero, 0) < 0)
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
