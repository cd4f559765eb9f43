using StemeQL.Core.Model;

namespace StemeQL.Storage.Abstractions;

/// <summary>How every backend stores an assertion's lineage: its parent hashes, concatenated. Written once here so the backends agree.</summary>
public static class StoredLineage
{
    /// <summary>The concatenated hashes, or null when there are none.</summary>
    public static byte[]? Join(IReadOnlyList<ContentHash> lineage)
    {
        if (lineage.Count == 0) return null;
        var bytes = new byte[lineage.Count * ContentHash.Size];
        for (int i = 0; i < lineage.Count; i++) lineage[i].Bytes.CopyTo(bytes.AsSpan(i * ContentHash.Size));
        return bytes;
    }

    /// <summary>The hashes of a stored lineage (none for null), or a StorageFailure saying to restore <paramref name="restore"/>.</summary>
    public static IReadOnlyList<ContentHash> Split(byte[]? bytes, string restore)
    {
        if (bytes is null) return [];
        if (bytes.Length % ContentHash.Size != 0)
            throw new StemeException(StemeErrorCode.StorageFailure, $"The store holds a damaged lineage: restore {restore} from a backup.");
        var hashes = new ContentHash[bytes.Length / ContentHash.Size];
        for (int i = 0; i < hashes.Length; i++) hashes[i] = ContentHash.FromBytes(bytes.AsSpan(i * ContentHash.Size, ContentHash.Size));
        return hashes;
    }
}
