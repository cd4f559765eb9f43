using System.Diagnostics;
using System.Runtime.InteropServices;

namespace StemeQL.Workloads;

/// <summary>
/// The calling thread's CPU time (<c>clock_gettime(CLOCK_THREAD_CPUTIME_ID)</c>, Linux): the cost of a loop run on one
/// thread, which neither other processes on a busy machine nor this process's other threads (the runtime's, a pool's
/// timers) add to. Elsewhere, the process's CPU time.
/// </summary>
internal static partial class ThreadCpu
{
    private const int ClockThreadCpuTime = 3;

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec time);

    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int GetTid();

    /// <summary>The calling thread's id as Linux numbers it (/proc/self/task/ID); -1 elsewhere.</summary>
    public static int NativeId() => OperatingSystem.IsLinux() ? GetTid() : -1;

    /// <summary>The CPU time this thread has used so far (the process's, off Linux), in microseconds.</summary>
    public static double Microseconds()
    {
        if (OperatingSystem.IsLinux() && ClockGetTime(ClockThreadCpuTime, out var time) == 0)
            return (time.Seconds * 1e6) + (time.Nanoseconds / 1e3);
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime.TotalMicroseconds;
    }
}
