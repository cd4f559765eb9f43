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
