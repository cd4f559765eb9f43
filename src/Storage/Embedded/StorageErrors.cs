using Microsoft.Data.Sqlite;

namespace StemeQL.Storage.Embedded;

/// <summary>
/// Names the real cause of a file-system failure (a read-only file system, a permission, a full disk,
/// a folder locked by another process) as its own <see cref="StemeErrorCode"/> with advice, so that
/// only the lock, which goes away by itself, is reported as transient.
/// </summary>
internal static class StorageErrors
{
    // errno values (Linux; .NET puts the raw errno in IOException.HResult for the ones it does not map).
    private const int Eperm = 1, Eagain = 11, Eacces = 13, Enospc = 28, Erofs = 30, Edquot = 122;
    // Win32 errors (in the low word of the HRESULT).
    private const int WinAccessDenied = 5, WinWriteProtect = 19, WinSharingViolation = 32, WinLockViolation = 33,
        WinHandleDiskFull = 39, WinDiskFull = 112;
    private const int SqlitePerm = 3, SqliteReadOnly = 8, SqliteFull = 13, SqliteCantOpen = 14;

    /// <summary>The cause behind <paramref name="error"/> or its inner exceptions, or null when it is none of the named ones.</summary>
    public static StemeErrorCode? CauseOf(Exception? error)
    {
        for (; error is not null; error = error.InnerException)
        {
            if (error is StemeException { ErrorCode: StemeErrorCode.DiskFull or StemeErrorCode.ReadOnlyFileSystem or StemeErrorCode.PermissionDenied } named)
                return named.ErrorCode;
            var cause = error switch
            {
                UnauthorizedAccessException => StemeErrorCode.PermissionDenied,
                IOException io => OfIo(io),
                SqliteException { SqliteErrorCode: SqliteFull } => StemeErrorCode.DiskFull,
                _ => (StemeErrorCode?)null,
            };
            if (cause is not null) return cause;
        }
        return null;
    }

    private static StemeErrorCode? OfIo(IOException error)
    {
        int code = OperatingSystem.IsWindows() ? error.HResult & 0xFFFF : error.HResult;
        return OperatingSystem.IsWindows()
            ? code switch
            {
                WinAccessDenied => StemeErrorCode.PermissionDenied,
                WinWriteProtect => StemeErrorCode.ReadOnlyFileSystem,
                WinSharingViolation or WinLockViolation => StemeErrorCode.DatabaseLocked,
                WinHandleDiskFull or WinDiskFull => StemeErrorCode.DiskFull,
                _ => null,
            }
            : code switch
            {
                Eperm or Eacces => StemeErrorCode.PermissionDenied,
                Erofs => StemeErrorCode.ReadOnlyFileSystem,
                Eagain => StemeErrorCode.DatabaseLocked,
                Enospc or Edquot => StemeErrorCode.DiskFull,
                _ => null,
            };
    }

    /// <summary>
    /// SQLite reports a read-only file system, a permission or an unopenable file with a few generic
    /// codes: for those, the database's files (as the failing connection needed them) and then a write
    /// probe in the folder find which it is. Null when it is none of the named causes. <paramref name="writing"/>
    /// is true for the writer's connection (it writes store.db), false for a reader's.
    /// </summary>
    public static StemeException? ForSqlite(SqliteException error, string databasePath, bool writing, string doing)
    {
        string folder = Path.GetDirectoryName(databasePath) ?? ".";
        if (error.SqliteErrorCode == SqliteFull) return For(StemeErrorCode.DiskFull, folder, doing, error);
        if (error.SqliteErrorCode is not (SqlitePerm or SqliteReadOnly or SqliteCantOpen)) return null;
        // A reader still writes the -shm file (the WAL index) unless SQLite falls back to reading it only.
        (string, bool)[] files = [(databasePath, writing), (databasePath + "-wal", writing), (databasePath + "-shm", true)];
        if (FileAccessCheck.FirstRefused(files) is var (file, write, cause))
        {
            return cause == StemeErrorCode.PermissionDenied
                ? FileDenied(folder, file, write, writing, doing, error)
                : For(cause, folder, doing, error);
        }
        return Probe(folder) is { } inFolder ? For(inFolder, folder, doing, error) : null;
    }

    // Names the file and the access it lacks: the folder itself may be fine (another user created the file).
    private static StemeException FileDenied(string folder, string file, bool write, bool writing, string doing, Exception error)
    {
        string access = write ? "read and write" : "read";
        string readOnly = writing ? ", or open the folder with Read Only=True to only query it" : "";
        return new StemeException(StemeErrorCode.PermissionDenied,
            $"This process (user {Environment.UserName}) may not {(write ? "write" : "read")} '{file}' in the data folder '{folder}' (while {doing}): " +
            $"give that user {access} access to that file (change its owner or mode){readOnly}. ({error.Message})", error);
    }

    /// <summary>Tries to create and remove a file in <paramref name="folder"/>; returns what stops it, or null.</summary>
    public static StemeErrorCode? Probe(string folder)
    {
        string path = Path.Combine(folder, ".stemeql-probe-" + Environment.ProcessId + "-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            using (new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose)) { }
            return null;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return CauseOf(error);
        }
    }

    /// <summary>The exception for a named cause, saying what to do; null for <see cref="StemeErrorCode.DatabaseLocked"/> callers word themselves.</summary>
    public static StemeException For(StemeErrorCode cause, string folder, string doing, Exception error) => cause switch
    {
        StemeErrorCode.ReadOnlyFileSystem => new StemeException(cause,
            $"The data folder '{folder}' is on a read-only file system (while {doing}): open it with Read Only=True to query it, or move it to a writable disk. ({error.Message})", error),
        StemeErrorCode.PermissionDenied => new StemeException(cause,
            $"This process (user {Environment.UserName}) may not read and write the data folder '{folder}' (while {doing}): give that user read and write access to the folder and its files, or open it with Read Only=True to query it. ({error.Message})", error),
        StemeErrorCode.DiskFull => new StemeException(cause,
            $"The disk holding the data folder '{folder}' is full (while {doing}): free some space, then open the database again (after closing every connection to it); every acknowledged write is safe in the journal. Meanwhile, connections already open can still read, and Read Only=True opens it to query it. ({error.Message})", error),
        StemeErrorCode.DatabaseLocked => new StemeException(cause,
            $"The data folder '{folder}' is in use by another process: close the other program using it, or give this one its own data folder; retry later. ({error.Message})", error),
        _ => new StemeException(StemeErrorCode.StorageFailure,
            $"The storage layer failed while {doing} in '{folder}': {error.Message}. Check the disk and the folder's permissions.", error),
    };
}
