using System.Runtime.InteropServices;

namespace StemeQL.Storage.Embedded;

/// <summary>
/// Lowers the scheduling priority of the store's background threads (the ingestor, its decoder and the checkpointer)
/// on Linux, as RocksDB does for its compaction threads: when the cores are all busy, the threads that
/// writers and readers wait on directly (the caller's own, the journal's flusher) run first, and the
/// background work takes the time they leave. Nothing waits on it unboundedly: back-pressure holds the
/// writers once the ingestor is <see cref="EmbeddedStoreOptions.MaxBacklogOps"/> behind, and they then
/// sleep, leaving it the cores. Elsewhere, or where Linux refuses, the thread keeps its priority.
/// </summary>
internal static class BackgroundPriority
{
    /// <summary>The nice value given (0 is the default, 19 the lowest): a tenth of a normal thread's share of a busy core.</summary>
    public const int Nice = 10;

    private const int PRIO_PROCESS = 0; // with a thread id, Linux sets that thread's nice value alone

    /// <summary>Lowers the calling thread's priority to <see cref="Nice"/>; true when Linux accepted it.</summary>
    public static bool LowerCurrentThread()
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            return setpriority(PRIO_PROCESS, gettid(), Nice) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

#pragma warning disable SYSLIB1054 // LibraryImport needs unsafe code, which this assembly does not enable
    [DllImport("libc", SetLastError = true, ExactSpelling = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int setpriority(int which, int who, int prio);

    [DllImport("libc", ExactSpelling = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int gettid();
#pragma warning restore SYSLIB1054
}
