using System.Runtime.InteropServices;

namespace StemeQL.Storage.Embedded;

/// <summary>
/// Makes SQLite's sleeps as short as it asks for. The bundled e_sqlite3 is built without
/// <c>HAVE_USLEEP</c>, so its unix VFS rounds every sleep up to whole seconds: a reader that races a
/// WAL checkpoint retries after "39 µs" and really waits one second, which showed as one-second
/// stalls in single-ASSERT round trips. This registers, as the default VFS, a copy of the unix VFS
/// whose <c>xSleep</c> sleeps for the milliseconds asked (at least one). Everything else stays
/// SQLite's own code: only one function pointer differs.
/// </summary>
internal static class PreciseSleepVfs
{
    private const string Name = "unix-stemeql";

    // Kept in a static field: SQLite holds a pointer to it for as long as the process runs.
    private static readonly SleepCallback Sleep = OnSleep;

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int SleepCallback(IntPtr vfs, int microseconds);

    /// <summary>sqlite3_vfs, version 3 (SQLite 3.7.6 and later), field for field.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Vfs
    {
        public int Version;
        public int OsFileSize;
        public int MaxPathname;
        public IntPtr Next, Name, AppData;
        public IntPtr Open, Delete, Access, FullPathname, DlOpen, DlError, DlSym, DlClose, Randomness;
        public IntPtr Sleep;
        public IntPtr CurrentTime, GetLastError, CurrentTimeInt64, SetSystemCall, GetSystemCall, NextSystemCall;
    }

    [DllImport("e_sqlite3", EntryPoint = "sqlite3_vfs_find", CallingConvention = CallingConvention.Cdecl)]
    private static extern IntPtr FindVfs(IntPtr name);

    [DllImport("e_sqlite3", EntryPoint = "sqlite3_vfs_register", CallingConvention = CallingConvention.Cdecl)]
    private static extern int RegisterVfs(IntPtr vfs, int makeDefault);

    [DllImport("e_sqlite3", EntryPoint = "sqlite3_sleep", CallingConvention = CallingConvention.Cdecl)]
    private static extern int SqliteSleep(int milliseconds);

    /// <summary>
    /// Registers the copy as the default VFS, once, before any connection opens. Does nothing when
    /// the default VFS is not a version-3 VFS (a SQLite this code does not know).
    /// </summary>
    public static void Install()
    {
        IntPtr current = FindVfs(IntPtr.Zero);
        if (current == IntPtr.Zero || Marshal.ReadInt32(current) != 3) return;
        var copy = Marshal.PtrToStructure<Vfs>(current);
        if (Marshal.PtrToStringAnsi(copy.Name) == Name) return;
        copy.Next = IntPtr.Zero;
        copy.Name = Marshal.StringToHGlobalAnsi(Name);
        copy.Sleep = Marshal.GetFunctionPointerForDelegate(Sleep);
        // Never freed: SQLite keeps registered VFSes until the process ends.
        IntPtr native = Marshal.AllocHGlobal(Marshal.SizeOf<Vfs>());
        Marshal.StructureToPtr(copy, native, fDeleteOld: false);
        int rc = RegisterVfs(native, makeDefault: 1);
        if (rc != 0) throw new InvalidOperationException($"sqlite3_vfs_register failed with SQLite error {rc}.");
    }

    /// <summary>What <c>sqlite3_sleep(milliseconds)</c> reports it slept, in milliseconds; for tests.</summary>
    internal static int SleepThroughSqlite(int milliseconds) => SqliteSleep(milliseconds);

    private static int OnSleep(IntPtr vfs, int microseconds)
    {
        int milliseconds = Math.Max(1, (microseconds + 999) / 1000);
        Thread.Sleep(milliseconds);
        return milliseconds * 1000;
    }
}
