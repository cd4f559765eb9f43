using System.Runtime.InteropServices;

namespace StemeQL.Storage.Embedded;

/// <summary>
/// Which of a store's existing files this user may not read or write. SQLite reports a file it may
/// not write with generic codes (it even opens a read-write connection read-only and fails only at the
/// first write), so the files are checked to name the cause.
/// </summary>
internal static class FileAccessCheck
{
    // access(2) modes and errno values; the same on Linux and macOS.
    private const int ReadOk = 4, WriteOk = 2;
    private const int Eperm = 1, Eacces = 13, Erofs = 30;

    /// <summary>The first of <paramref name="files"/> that exists and this user may not use as needed, and why; null when none.</summary>
    public static (string Path, bool Write, StemeErrorCode Cause)? FirstRefused(IEnumerable<(string Path, bool Write)> files)
    {
        foreach (var (path, write) in files)
        {
            if (Refused(path, write) is { } cause) return (path, write, cause);
        }
        return null;
    }

    private static StemeErrorCode? Refused(string path, bool write)
    {
        if (!File.Exists(path)) return null;
        return OperatingSystem.IsWindows() ? RefusedByOpening(path, write) : RefusedByAccess(path, write);
    }

    // access(2) asks without opening: opening and closing the file here would release every POSIX lock
    // SQLite holds on it in this process. It checks the real user, which is the effective one unless the
    // process is set-uid.
    private static StemeErrorCode? RefusedByAccess(string path, bool write)
    {
        if (access(path, write ? ReadOk | WriteOk : ReadOk) == 0) return null;
        return Marshal.GetLastPInvokeError() switch
        {
            Eperm or Eacces => StemeErrorCode.PermissionDenied,
            Erofs => StemeErrorCode.ReadOnlyFileSystem,
            _ => null,
        };
    }

    // Windows has no POSIX locks to lose, and its ACLs are only known by trying.
    private static StemeErrorCode? RefusedByOpening(string path, bool write)
    {
        try
        {
            using (new FileStream(path, FileMode.Open, write ? FileAccess.ReadWrite : FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1)) { }
            return null;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return StorageErrors.CauseOf(error) switch
            {
                StemeErrorCode.PermissionDenied => StemeErrorCode.PermissionDenied,
                StemeErrorCode.ReadOnlyFileSystem => StemeErrorCode.ReadOnlyFileSystem,
                _ => null, // a sharing violation or the like says nothing about access
            };
        }
    }

#pragma warning disable SYSLIB1054 // LibraryImport needs unsafe code, which this assembly does not enable
    [DllImport("libc", SetLastError = true, ExactSpelling = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int access([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int mode);
#pragma warning restore SYSLIB1054
}
