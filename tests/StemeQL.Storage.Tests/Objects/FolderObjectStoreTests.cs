using StemeQL.Core.Model;
using StemeQL.Storage.Abstractions;
using StemeQL.Storage.Objects;

namespace StemeQL.Storage.Tests.Objects;

/// <summary>The object-store behaviour over the data folder's <c>objects/</c>.</summary>
public sealed class FolderObjectStoreTests : ObjectStoreSpec
{
    protected override ObjectStoreSettings Settings => ObjectStoreSettings.Default;

    // A file where the objects folder should be: every put fails with an I/O error.
    protected override ObjectStoreSettings BrokenSettings(string dataFolder)
    {
        Directory.CreateDirectory(dataFolder);
        File.WriteAllText(Path.Combine(dataFolder, ObjectStores.FolderName), "not a folder");
        return ObjectStoreSettings.Default;
    }

    protected override void Corrupt(ObjectReference reference)
    {
        string path = PathOf(reference);
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(path, bytes);
    }

    protected override void Remove(ObjectReference reference) => File.Delete(PathOf(reference));

    protected override int CountObjects() =>
        Directory.EnumerateFiles(ObjectsFolder, "*", SearchOption.AllDirectories).Count(f => !f.EndsWith(".tmp", StringComparison.Ordinal));

    [Fact]
    public async Task Put_names_the_file_after_the_hash_and_leaves_no_temporary_file()
    {
        var reference = await Objects.PutAsync(new MemoryStream(Random(300, seed: 20)), default);
        string hex = reference.Hash.ToString();
        Assert.True(File.Exists(Path.Combine(ObjectsFolder, hex[..2], hex[2..])));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(ObjectsFolder, "tmp")));
    }

    private string ObjectsFolder => Path.Combine(DataFolder, ObjectStores.FolderName);

    private string PathOf(ObjectReference reference)
    {
        string hex = reference.Hash.ToString();
        return Path.Combine(ObjectsFolder, hex[..2], hex[2..]);
    }
}
