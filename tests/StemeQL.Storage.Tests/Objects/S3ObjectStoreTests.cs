using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using StemeQL.Core.Model;
using StemeQL.Storage.Abstractions;
using StemeQL.TestSupport;

namespace StemeQL.Storage.Tests.Objects;

/// <summary>The object-store behaviour over S3, against the s3rver that tools/test-servers/s3rver.sh starts.</summary>
public sealed class S3ObjectStoreTests : ObjectStoreSpec
{
    private readonly string _prefix = $"test-{Guid.NewGuid():N}/";
    private readonly AmazonS3Client _raw;

    public S3ObjectStoreTests()
    {
        _raw = new AmazonS3Client(new BasicAWSCredentials("S3RVER", "S3RVER"), new AmazonS3Config
        {
            ServiceURL = TestServers.S3Url,
            ForcePathStyle = true,
            AuthenticationRegion = "us-east-1",
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        });
    }

    protected override ObjectStoreSettings Settings => For(TestServers.S3Bucket);

    protected override ObjectStoreSettings BrokenSettings(string dataFolder) => For("no-such-bucket-" + Guid.NewGuid().ToString("N")[..8]);

    protected override void Corrupt(ObjectReference reference)
    {
        var bytes = new byte[reference.Length];
        _raw.PutObjectAsync(new PutObjectRequest { BucketName = TestServers.S3Bucket, Key = Key(reference), InputStream = new MemoryStream(bytes), UseChunkEncoding = false }).GetAwaiter().GetResult();
    }

    protected override void Remove(ObjectReference reference) =>
        _raw.DeleteObjectAsync(TestServers.S3Bucket, Key(reference)).GetAwaiter().GetResult();

    protected override int CountObjects() =>
        _raw.ListObjectsV2Async(new ListObjectsV2Request { BucketName = TestServers.S3Bucket, Prefix = _prefix }).GetAwaiter().GetResult().S3Objects?.Count ?? 0;

    [Fact]
    public async Task Put_above_the_part_size_uploads_in_parts_and_reads_back_intact()
    {
        using var folder = new Support.TempFolder();
        using var store = Storage.Objects.ObjectStores.Open(Settings with { PartSize = 5L << 20 }, folder.Path);
        const long size = 12L << 20;
        var reference = await store.PutAsync(new PatternStream(size, seed: 30), default);
        await using var stream = await store.OpenReadAsync(reference, 0, default);
        Assert.Equal(reference.Hash, ContentHash.FromBytes(await System.Security.Cryptography.SHA256.HashDataAsync(stream)));
    }

    [Fact]
    public async Task Reading_an_object_truncated_behind_the_store_throws_IntegrityError_naming_its_hash()
    {
        var reference = await Objects.PutAsync(new MemoryStream(Random(4096, seed: 31)), default);
        await _raw.PutObjectAsync(new PutObjectRequest { BucketName = TestServers.S3Bucket, Key = Key(reference), InputStream = new MemoryStream(new byte[100]), UseChunkEncoding = false });
        var error = await Assert.ThrowsAsync<StemeException>(async () =>
        {
            await using var stream = await Objects.OpenReadAsync(reference, 0, default);
            await stream.CopyToAsync(Stream.Null);
        });
        Assert.Equal(StemeErrorCode.IntegrityError, error.ErrorCode);
        Assert.Contains(reference.Hash.ToString(), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Put_to_an_unreachable_endpoint_throws_ObjectStoreUnreachable()
    {
        using var folder = new Support.TempFolder();
        using var store = Storage.Objects.ObjectStores.Open(Settings with { ServiceUrl = "http://127.0.0.1:1" }, folder.Path);
        var error = await Assert.ThrowsAsync<StemeException>(() => store.PutAsync(new MemoryStream(new byte[10]), default));
        Assert.Equal(StemeErrorCode.ObjectStoreUnreachable, error.ErrorCode);
        Assert.True(error.IsTransient);
    }

    [Fact]
    public async Task Put_to_a_missing_bucket_throws_ObjectStoreBucketMissing()
    {
        using var folder = new Support.TempFolder();
        using var store = Storage.Objects.ObjectStores.Open(BrokenSettings(folder.Path), folder.Path);
        var error = await Assert.ThrowsAsync<StemeException>(() => store.PutAsync(new MemoryStream(new byte[10]), default));
        Assert.Equal(StemeErrorCode.ObjectStoreBucketMissing, error.ErrorCode);
    }

    [Fact]
    public async Task Put_with_wrong_credentials_throws_ObjectStoreAccessDenied()
    {
        using var folder = new Support.TempFolder();
        using var store = Storage.Objects.ObjectStores.Open(Settings with { AccessKey = "WRONG", SecretKey = "WRONG" }, folder.Path);
        var error = await Assert.ThrowsAsync<StemeException>(() => store.PutAsync(new MemoryStream(new byte[10]), default));
        Assert.Equal(StemeErrorCode.ObjectStoreAccessDenied, error.ErrorCode);
    }

    [Fact]
    public async Task Reading_from_a_missing_bucket_throws_ObjectStoreBucketMissing()
    {
        var reference = await Objects.PutAsync(new MemoryStream(Random(100, seed: 32)), default);
        using var folder = new Support.TempFolder();
        using var store = Storage.Objects.ObjectStores.Open(BrokenSettings(folder.Path), folder.Path);
        var error = await Assert.ThrowsAsync<StemeException>(() => store.OpenReadAsync(reference, 0, default));
        Assert.Equal(StemeErrorCode.ObjectStoreBucketMissing, error.ErrorCode);
        Assert.False(error.IsTransient);
    }

    [Fact]
    public async Task Reading_with_wrong_credentials_throws_ObjectStoreAccessDenied()
    {
        var reference = await Objects.PutAsync(new MemoryStream(Random(100, seed: 33)), default);
        using var folder = new Support.TempFolder();
        using var store = Storage.Objects.ObjectStores.Open(Settings with { AccessKey = "WRONG", SecretKey = "WRONG" }, folder.Path);
        var error = await Assert.ThrowsAsync<StemeException>(() => store.OpenReadAsync(reference, 0, default));
        Assert.Equal(StemeErrorCode.ObjectStoreAccessDenied, error.ErrorCode);
        Assert.False(error.IsTransient);
        Assert.Contains("Object Access Key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reading_from_an_unreachable_endpoint_throws_a_transient_ObjectStoreUnreachable()
    {
        using var folder = new Support.TempFolder();
        using var store = Storage.Objects.ObjectStores.Open(Settings with { ServiceUrl = "http://127.0.0.1:1" }, folder.Path);
        var reference = new ObjectReference(ContentHash.Compute([1, 2, 3]), 3);
        var error = await Assert.ThrowsAsync<StemeException>(() => store.OpenReadAsync(reference, 0, default));
        Assert.Equal(StemeErrorCode.ObjectStoreUnreachable, error.ErrorCode);
        Assert.True(error.IsTransient);
        Assert.Contains("Object Service URL", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Put_without_any_credentials_throws_ObjectStoreAccessDenied_naming_where_to_set_them()
    {
        using var folder = new Support.TempFolder();
        var error = await Assert.ThrowsAsync<StemeException>(async () =>
        {
            using var store = Storage.Objects.ObjectStores.Open(Settings with { AccessKey = null, SecretKey = null }, folder.Path);
            await store.PutAsync(new MemoryStream(new byte[10]), default);
        });
        Assert.Equal(StemeErrorCode.ObjectStoreAccessDenied, error.ErrorCode);
        Assert.Contains("AWS_ACCESS_KEY_ID", error.Message, StringComparison.Ordinal);
    }

    public override void Dispose()
    {
        _raw.Dispose();
        base.Dispose();
    }

    private ObjectStoreSettings For(string bucket) => new()
    {
        Bucket = bucket,
        Prefix = _prefix,
        ServiceUrl = TestServers.S3Url,
        ForcePathStyle = true,
        AccessKey = "S3RVER",
        SecretKey = "S3RVER",
    };

    private string Key(ObjectReference reference)
    {
        string hex = reference.Hash.ToString();
        return $"{_prefix}{hex[..2]}/{hex[2..]}";
    }
}
