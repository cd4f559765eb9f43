using Microsoft.Data.Sqlite;
using StemeQL.Core.Model;
using StemeQL.Storage.Abstractions;
using StemeQL.Storage.Objects;

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
        // it is not left waiting behind the rebuild (it gives up after SQLite's busy timeout, 30 seconds).
        if (repair) _writePath?.WaitForMaterialized(LastLsn, cancellation);
        try
        {
            var report = IntegrityCheck.Run(_databasePath, Path.Combine(Folder, WritePath.JournalFolder), repair, progress, cancellation);
            progress?.Report(new IntegrityProgress("objects", 0));
            var objects = ObjectIntegrity.Check(ScanObjectUses(), Objects, progress, cancellation);
            return objects.Count == 0 ? report : report with { Problems = [.. report.Problems, .. objects] };
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

    /// <inheritdoc />
    public IEnumerable<ObjectUse> ScanObjectUses()
    {
        ThrowIfDisposed();
        const string doing = "listing the objects the ledger names";
        var connection = TakeReader(doing);
        bool healthy = false;
        var uses = new List<ObjectUse>();
        try
        {
            using var command = connection.Connection.CreateCommand();
            // A value kept in the object store is the only TEXT in a bytes object column (ValueCodec).
            command.CommandText = $"SELECT lsn, hash, object FROM assertions WHERE object_type = {(int)ObjectType.Bytes} AND typeof(object) = 'text' ORDER BY lsn";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var value = ValueCodec.FromColumn(new ReaderColumns(reader), 2, ObjectType.Bytes);
                uses.Add(new ObjectUse(reader.GetInt64(0), ContentHash.FromBytes(reader.GetFieldValue<byte[]>(1)), value.AsObjectReference));
            }
            healthy = true;
        }
        catch (SqliteException error)
        {
            throw Translate(error, doing);
        }
        finally
        {
            Release(connection, healthy);
        }
        return uses;
    }
}
