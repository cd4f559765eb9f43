using System.Security.Cryptography;
using StemeQL.Core.Model;
using StemeQL.Storage.Abstractions;
using StemeQL.Storage.Embedded;
using StemeQL.Storage.Objects;
using StemeQL.Storage.Tests.Support;
using StemeQL.TestSupport;

namespace StemeQL.Storage.Tests.Objects;

/// <summary>
/// The behaviour every object store must have, run over each implementation by a subclass that says
/// where objects go (<see cref="Settings"/>) and how to damage or remove one behind the store's back.
/// </summary>
public abstract class ObjectStoreSpec : IDisposable
{
    private readonly TempFolder _folder = new();
    private EmbeddedStore? _store;

    /// <summary>Where this implementation keeps objects (a fresh place per test).</summary>
    protected abstract ObjectStoreSettings Settings { get; }

    /// <summary>Settings naming a place that cannot be written (an S3 bucket that does not exist, a folder that is a file).</summary>
    protected abstract ObjectStoreSettings BrokenSettings(string dataFolder);

    /// <summary>Replaces the stored bytes of <paramref name="reference"/> with others of the same length.</summary>
    protected abstract void Corrupt(ObjectReference reference);

    /// <summary>Removes the object behind the store's back.</summary>
    protected abstract void Remove(ObjectReference reference);

    /// <summary>How many objects the store holds.</summary>
    protected abstract int CountObjects();

    protected string DataFolder => _folder.Path;

    private EmbeddedStore Store => _store ??= EmbeddedStore.Open(DataFolder, EmbeddedStoreOptions.Default with { Objects = Settings });

    protected IObjectStore Objects => Store.Objects;

    public virtual void Dispose()
    {
        _store?.Dispose();
        _folder.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task Put_then_read_returns_the_same_small_value()
    {
        var bytes = Random(1000, seed: 1);
        var reference = await Objects.PutAsync(new MemoryStream(bytes), default);
        Assert.Equal(new ObjectReference(ContentHash.Compute(bytes), bytes.Length), reference);
        Assert.Equal(bytes, await ReadAll(reference));
    }

    [Fact]
    public async Task Put_then_read_streams_a_20_MB_value_back_intact()
    {
        const long size = 20L << 20;
        var reference = await Objects.PutAsync(new PatternStream(size, seed: 2), default);
        Assert.Equal(size, reference.Length);
        Assert.Equal(PatternStream.Hash(size, seed: 2), reference.Hash);
        await using var stream = await Objects.OpenReadAsync(reference, 0, default);
        Assert.Equal(reference.Hash, ContentHash.FromBytes(await SHA256.HashDataAsync(stream)));
    }

    [Fact]
    public async Task Put_of_identical_bytes_stores_one_object()
    {
        var bytes = Random(5000, seed: 3);
        var first = await Objects.PutAsync(new MemoryStream(bytes), default);
        var second = await Objects.PutAsync(new MemoryStream(bytes), default);
        Assert.Equal(first, second);
        Assert.Equal(1, CountObjects());
    }

    [Fact]
    public async Task Put_reads_a_stream_that_cannot_seek()
    {
        const long size = 3L << 20;
        var reference = await Objects.PutAsync(new PatternStream(size, seed: 4), default);
        Assert.Equal(PatternStream.Hash(size, seed: 4), reference.Hash);
    }

    [Fact]
    public async Task A_put_cancelled_while_its_stream_is_read_stores_nothing_and_leaves_no_spool_file()
    {
        var slow = new TrickleStream(chunks: 100, chunkSize: 64 << 10, TimeSpan.FromMilliseconds(50));
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Objects.PutAsync(slow, cancellation.Token));
        Assert.InRange(slow.ChunksRead, 1, 99);
        Assert.Equal(0, CountObjects());
        string spool = Path.Combine(DataFolder, ObjectStores.FolderName, "tmp");
        Assert.Empty(Directory.Exists(spool) ? Directory.EnumerateFiles(spool) : []);
    }

    [Fact]
    public async Task Reading_a_damaged_object_to_the_end_throws_IntegrityError_naming_its_hash()
    {
        var reference = await Objects.PutAsync(new MemoryStream(Random(4096, seed: 5)), default);
        Corrupt(reference);
        var error = await Assert.ThrowsAsync<StemeException>(() => ReadAll(reference));
        Assert.Equal(StemeErrorCode.IntegrityError, error.ErrorCode);
        Assert.Contains(reference.Hash.ToString(), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reading_a_missing_object_throws_ObjectMissing_naming_its_hash()
    {
        var reference = await Objects.PutAsync(new MemoryStream(Random(100, seed: 6)), default);
        Remove(reference);
        var error = await Assert.ThrowsAsync<StemeException>(() => ReadAll(reference));
        Assert.Equal(StemeErrorCode.ObjectMissing, error.ErrorCode);
        Assert.Contains(reference.Hash.ToString(), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_read_into_an_empty_buffer_is_not_taken_for_the_end_of_the_object()
    {
        var bytes = Random(10_000, seed: 12);
        var reference = await Objects.PutAsync(new MemoryStream(bytes), default);
        await using var stream = await Objects.OpenReadAsync(reference, 0, default);
        Assert.Equal(0, await stream.ReadAsync(Memory<byte>.Empty));
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        Assert.Equal(bytes, copy.ToArray());
    }

    [Fact]
    public async Task OpenRead_at_an_offset_returns_the_rest_of_the_object()
    {
        var bytes = Random(100_000, seed: 7);
        var reference = await Objects.PutAsync(new MemoryStream(bytes), default);
        await using var stream = await Objects.OpenReadAsync(reference, 65_000, default);
        using var rest = new MemoryStream();
        await stream.CopyToAsync(rest);
        Assert.Equal(bytes[65_000..], rest.ToArray());
    }

    [Fact]
    public async Task An_assertion_with_a_large_value_is_journaled_with_a_reference_and_reads_back_by_it()
    {
        var bytes = Random(200_000, seed: 8);
        var assertion = new Assertion("doc", "body", StemeValue.Bytes(bytes), "default", "alice");
        var written = await ObjectSpill.ExternalizeAsync([new AssertOperation(assertion)], Objects, ObjectStoreSettings.DefaultThreshold, default);
        Store.Write(written);
        Store.WaitForMaterialized(Store.LastLsn, default);
        var stored = Assert.Single(Store.ScanAssertions(KeyFilter.All)).Assertion;
        Assert.Equal(assertion.Hash, stored.Hash);
        Assert.True(stored.Object.IsExternal);
        Assert.Equal(bytes, await ReadAll(stored.Object.AsObjectReference));
    }

    [Fact]
    public void Nothing_is_journaled_when_the_object_cannot_be_written()
    {
        using var store = EmbeddedStore.Open(Path.Combine(DataFolder, "broken"), EmbeddedStoreOptions.Default with { Objects = BrokenSettings(Path.Combine(DataFolder, "broken")) });
        var assertion = new Assertion("doc", "body", StemeValue.Bytes(Random(100_000, seed: 9)), "default", "alice");
        var error = Assert.Throws<StemeException>(() => ObjectSpill.Externalize([new AssertOperation(assertion)], store.Objects, ObjectStoreSettings.DefaultThreshold));
        Assert.NotEqual(StemeErrorCode.InternalError, error.ErrorCode);
        Assert.Equal(0, store.LastLsn);
    }

    [Fact]
    public async Task CheckIntegrity_reports_a_damaged_and_a_missing_object()
    {
        var damaged = Random(100_000, seed: 10);
        var missing = Random(100_000, seed: 11);
        Store.Write(ObjectSpill.Externalize([
            new AssertOperation(new Assertion("a", "p", StemeValue.Bytes(damaged), "default", "alice")),
            new AssertOperation(new Assertion("b", "p", StemeValue.Bytes(missing), "default", "alice")),
        ], Objects, ObjectStoreSettings.DefaultThreshold));
        Store.WaitForMaterialized(Store.LastLsn, default);
        Assert.True(Store.CheckIntegrity(false, null, default).IsSound);
        Corrupt(await Objects.PutAsync(new MemoryStream(damaged), default));
        Remove(await Objects.PutAsync(new MemoryStream(missing), default));
        var kinds = Store.CheckIntegrity(false, null, default).Problems.Select(p => p.Kind).Order().ToArray();
        Assert.Equal([IntegrityKinds.ObjectDamaged, IntegrityKinds.ObjectMissing], kinds);
    }

    protected static byte[] Random(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private async Task<byte[]> ReadAll(ObjectReference reference)
    {
        await using var stream = await Objects.OpenReadAsync(reference, 0, default);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }
}
