namespace StemeQL.Storage.Embedded;

/// <summary>
/// An exclusive lock on a data folder (<c>store.lock</c>, an OS file lock released when the process
/// ends). The store keeps its LSN counter in memory, so only one store instance, in one process, may
/// write a folder; a second one is refused instead of assigning the same LSNs twice.
/// </summary>
internal sealed class FolderLock : IDisposable
{
    /// <summary>The lock file's name inside the data folder.</summary>
    public const string FileName = "store.lock";

    private readonly FileStream _file;

    private FolderLock(FileStream file) => _file = file;

    /// <summary>Takes the lock or throws <see cref="StemeException"/>: DatabaseLocked when another holder has it, else ReadOnlyFileSystem, PermissionDenied, DiskFull or StorageFailure.</summary>
    public static FolderLock Acquire(string folder)
    {
        string path = Path.Combine(folder, FileName);
        try
        {
            return new FolderLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // Only a lock held by another process is DatabaseLocked (transient); a read-only file
            // system, a permission or a full disk is named as such, or a retry loop would spin forever.
            throw StorageErrors.For(StorageErrors.CauseOf(error) ?? StemeErrorCode.StorageFailure, folder, "taking the data folder's lock", error);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _file.Dispose();
}
