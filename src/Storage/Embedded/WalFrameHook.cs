using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

namespace StemeQL.Storage.Embedded;

/// <summary>
/// SQLite's <c>sqlite3_wal_hook</c> on the writer connection: after each commit SQLite reports how many
/// frames the WAL holds (since it last started over), and this keeps the newest count. SQLitePCLRaw
/// does not wrap the hook, so it is called in the bundled <c>e_sqlite3</c> directly. Installing it
/// replaces SQLite's automatic checkpoint (which is itself a WAL hook): the writer never checkpoints
/// inside a commit.
/// </summary>
internal sealed class WalFrameHook : IDisposable
{
    // Kept in a static field: SQLite holds a pointer to it while any connection has the hook.
    private static readonly HookCallback Callback = OnCommit;
    private static readonly IntPtr CallbackPointer = Marshal.GetFunctionPointerForDelegate(Callback);

    private readonly SqliteConnection _writer;
    // The count lives in native memory SQLite writes through, so the hook needs no GC handle.
    private IntPtr _frames;

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int HookCallback(IntPtr context, IntPtr db, IntPtr databaseName, int frames);

    [DllImport("e_sqlite3", EntryPoint = "sqlite3_wal_hook", CallingConvention = CallingConvention.Cdecl)]
    private static extern IntPtr SetWalHook(IntPtr db, IntPtr callback, IntPtr context);

    /// <summary>Installs the hook on <paramref name="writer"/> (open, in WAL mode).</summary>
    public WalFrameHook(SqliteConnection writer)
    {
        _writer = writer;
        _frames = Marshal.AllocHGlobal(sizeof(int));
        Marshal.WriteInt32(_frames, 0);
        SetWalHook(writer.Handle!.DangerousGetHandle(), CallbackPointer, _frames);
    }

    /// <summary>The frames in the WAL after the writer's latest commit (read on the writer's thread).</summary>
    public int Frames => _frames == IntPtr.Zero ? 0 : Marshal.ReadInt32(_frames);

    private static int OnCommit(IntPtr context, IntPtr db, IntPtr databaseName, int frames)
    {
        Marshal.WriteInt32(context, frames);
        return 0; // SQLITE_OK
    }

    /// <summary>Removes the hook (while the writer is open) and frees the count.</summary>
    public void Dispose()
    {
        if (_frames == IntPtr.Zero) return;
        // A closed writer has no hook left to remove; an open one must stop writing to the freed count.
        if (_writer.Handle is { IsInvalid: false, IsClosed: false } handle) SetWalHook(handle.DangerousGetHandle(), IntPtr.Zero, IntPtr.Zero);
        Marshal.FreeHGlobal(_frames);
        _frames = IntPtr.Zero;
    }
}
