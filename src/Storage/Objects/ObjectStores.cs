using StemeQL.Storage.Abstractions;
using StemeQL.Storage.Objects.Folder;
using StemeQL.Storage.Objects.S3;

namespace StemeQL.Storage.Objects;

/// <summary>Opens the object store that settings name, for a data folder.</summary>
public static class ObjectStores
{
    /// <summary>The folder, under a data folder, that holds its objects (and spools uploads to S3).</summary>
    public const string FolderName = "objects";

    /// <summary>S3 when <see cref="ObjectStoreSettings.Bucket"/> is set; otherwise <see cref="ObjectStoreSettings.Folder"/>, or else <c>dataFolder/objects</c>.</summary>
    public static IObjectStore Open(ObjectStoreSettings settings, string dataFolder)
    {
        ArgumentNullException.ThrowIfNull(settings);
        string folder = settings.Folder ?? Path.Combine(dataFolder, FolderName);
        return settings.Bucket is null ? new FolderObjectStore(folder) : new S3ObjectStore(settings, Path.Combine(folder, "tmp"));
    }

    /// <summary>True when two settings name the same place (bucket, prefix, endpoint, folder); the rest may differ per connection.</summary>
    public static bool SamePlace(ObjectStoreSettings a, ObjectStoreSettings b) =>
        a.Bucket == b.Bucket && a.Prefix == b.Prefix && a.ServiceUrl == b.ServiceUrl && a.Folder == b.Folder;
}
