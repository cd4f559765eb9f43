using StemeQL.Storage.Abstractions;
using StemeQL.Storage.Objects;
using StemeQL.Storage.Tests.Support;
using StemeQL.TestSupport;

namespace StemeQL.Storage.Tests.Objects;

/// <summary>
/// An S3 server that goes away before or during a request: every failure is a transient
/// ObjectStoreUnreachable, never the AWS SDK's or HttpClient's own exception. Each test stops its own
/// s3rver, so the shared one keeps serving the other tests.
/// </summary>
public sealed class S3FaultTests : IDisposable
{
    // Far more than loopback socket buffers hold, so the server dies with most of the body unsent.
    private const long Size = 64L << 20;
    private readonly PrivateS3rver _server = new();
    private readonly TempFolder _folder = new();
    private readonly IObjectStore _store;

    public S3FaultTests()
    {
        Directory.CreateDirectory(_folder.Path);
        _store = ObjectStores.Open(new ObjectStoreSettings
        {
            Bucket = PrivateS3rver.Bucket,
            ServiceUrl = _server.Url,
            ForcePathStyle = true,
            AccessKey = "S3RVER",
            SecretKey = "S3RVER",
        }, _folder.Path);
    }

    [Fact]
    public async Task GetStream_whose_server_dies_mid_read_throws_a_transient_ObjectStoreUnreachable()
    {
        var reference = await _store.PutAsync(new PatternStream(Size, seed: 40), default);
        await using var stream = await _store.OpenReadAsync(reference, 0, default);
        await stream.ReadExactlyAsync(new byte[1 << 20]);
        _server.Kill();

        var error = await Assert.ThrowsAsync<StemeException>(() => stream.CopyToAsync(Stream.Null));
        Assert.Equal(StemeErrorCode.ObjectStoreUnreachable, error.ErrorCode);
        Assert.True(error.IsTransient);
        Assert.Contains("read the value again", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_synchronous_read_from_an_offset_whose_server_dies_throws_ObjectStoreUnreachable()
    {
        var reference = await _store.PutAsync(new PatternStream(Size, seed: 41), default);
        using var stream = await _store.OpenReadAsync(reference, 1000, default);
        stream.ReadExactly(new byte[1 << 20]);
        _server.Kill();

        var error = Assert.Throws<StemeException>(() => stream.CopyTo(Stream.Null));
        Assert.Equal(StemeErrorCode.ObjectStoreUnreachable, error.ErrorCode);
    }

    [Fact]
    public async Task Opening_an_object_on_a_stopped_server_throws_a_transient_ObjectStoreUnreachable()
    {
        var reference = await _store.PutAsync(new MemoryStream(new byte[1000]), default);
        _server.Kill();

        var error = await Assert.ThrowsAsync<StemeException>(() => _store.OpenReadAsync(reference, 0, default));
        Assert.Equal(StemeErrorCode.ObjectStoreUnreachable, error.ErrorCode);
        Assert.True(error.IsTransient);
    }

    [Fact]
    public async Task A_put_whose_server_dies_throws_ObjectStoreUnreachable_and_leaves_no_spooled_file()
    {
        _server.Kill();

        var error = await Assert.ThrowsAsync<StemeException>(() => _store.PutAsync(new PatternStream(1L << 20, seed: 42), default));
        Assert.Equal(StemeErrorCode.ObjectStoreUnreachable, error.ErrorCode);
        Assert.Contains("nothing was written", error.Message, StringComparison.Ordinal);
        string spool = Path.Combine(_folder.Path, ObjectStores.FolderName, "tmp");
        Assert.Empty(Directory.Exists(spool) ? Directory.GetFiles(spool) : []);
    }

    public void Dispose()
    {
        _store.Dispose();
        _server.Dispose();
        _folder.Dispose();
    }
}
