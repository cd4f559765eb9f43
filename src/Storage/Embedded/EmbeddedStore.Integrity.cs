using Microsoft.Data.Sqlite;
using StemeQL.Storage.Abstractions;

namespace StemeQL.Storage.Embedded;

public sealed partial class EmbeddedStore
{
    /// <inheritdoc />
    public IntegrityReport CheckIntegrity(bool repair, IProgress<IntegrityProgress>? progress, CancellationToken cancellation)
    {
        ThrowIfDisposed();
        if (repair && IsReadOnly)
        {
            throw new StemeException(StemeErrorCode.ReadOnly,
                $"Repairing '{Folder}' rebuilds its views, which needs the folder open for writing: close the other process using it, then run 'steme check --repair' again.");
        }
        // A rebuild holds the write lock: let the background worker finish what is durable first, so
        // it is not left waiting behind the rebuild (it gives up after BusyWait's 30 seconds).
        if (repair) _writePath?.WaitForMaterialized(LastLsn, cancellation);
        try
        {
            return IntegrityCheck.Run(_databasePath, Path.Combine(Folder, WritePath.JournalFolder), repair, progress, cancellation);
        }
        catch (SqliteException error)
        {
            throw Translate(error, "checking the store's integrity");
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new StemeException(StemeErrorCode.StorageFailure,
                $"The journal of '{Folder}' could not be read while checking it ({error.Message}): check the disk and the folder's permissions.", error);
        }
    }
}
