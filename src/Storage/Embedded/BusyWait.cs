using System.Runtime.InteropServices;
using SQLitePCL;

namespace StemeQL.Storage.Embedded;

/// <summary>
/// SQLite's busy handler for every connection the store opens. The bundled e_sqlite3 is built
/// without <c>HAVE_USLEEP</c>, so SQLite's own <c>sqlite3_busy_timeout</c> sleeps a whole second
/// before each retry (its default busy handler picks that schedule at compile time, whatever the VFS
/// sleeps; see also <see cref="PreciseSleepVfs"/>): a lock held for a millisecond stalled a write for
/// one second. This handler waits on SQLite's own schedule for builds with usleep
/// (1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, then 100 ms) and gives up after <see cref="TimeoutMilliseconds"/>.
/// SQLitePCLRaw 2.0 does not wrap <c>sqlite3_busy_handler</c>, so it is called in the same native
/// library directly.
/// </summary>
internal static class BusyWait
{
    /// <summary>How long a statement waits for a lock held by another connection before it fails with SQLITE_BUSY.</summary>
    public const int TimeoutMilliseconds = 30_000;

    private static readonly int[] Delays = [1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100];
    // Kept in a static field: native code holds a pointer to it for as long as the process runs.
    private static readonly BusyCallback Handler = OnBusy;

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int BusyCallback(IntPtr userData, int count);

    [DllImport("e_sqlite3", EntryPoint = "sqlite3_busy_handler", CallingConvention = CallingConvention.Cdecl)]
    private static extern int SetBusyHandler(IntPtr db, BusyCallback handler, IntPtr userData);

    /// <summary>Installs the handler on <paramref name="db"/>; it replaces any busy timeout set before.</summary>
    public static void Install(sqlite3 db)
    {
        int rc = SetBusyHandler(db.DangerousGetHandle(), Handler, IntPtr.Zero);
        if (rc != raw.SQLITE_OK) throw new InvalidOperationException($"sqlite3_busy_handler failed with SQLite error {rc}.");
    }

    /// <summary>How long to sleep before retry number <paramref name="count"/> (from 0), or -1 once the timeout is spent.</summary>
    public static int DelayBeforeRetry(int count)
    {
        int waited = 0;
        for (int i = 0; i < count; i++) waited += Delays[Math.Min(i, Delays.Length - 1)];
        if (waited >= TimeoutMilliseconds) return -1;
        return Math.Min(Delays[Math.Min(count, Delays.Length - 1)], TimeoutMilliseconds - waited);
    }

    private static int OnBusy(IntPtr userData, int count)
    {
        int delay = DelayBeforeRetry(count);
        if (delay < 0) return 0;
        Thread.Sleep(delay);
        return 1;
    }
}
