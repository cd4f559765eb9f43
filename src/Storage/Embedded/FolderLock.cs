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

    /// <summary>Takes the lock or throws <see cref="StemeException"/> (DatabaseLocked when another holder has it).</summary>
    public static FolderLock Acquire(string folder)
    {
        string path = Path.Combine(folder, FileName);
        try
        {
            return new FolderLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (UnauthorizedAccessException error)
        {
            throw new StemeException(StemeErrorCode.StorageFailure,
                $"The data folder '{folder}' cannot be opened for writing: give this process read and write access to it. ({error.Message})", error);
        }
        catch (IOException error)
        {
            throw new StemeException(StemeErrorCode.DatabaseLocked,
                $"The data folder '{folder}' is in use by another process: close the other program using it, or give this one its own data folder. ({error.Message})", error);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _file.Dispose();
}
