using Amazon.S3;
using Amazon.S3.Model;
using StemeQL.Core.Model;
using StemeQL.Storage.Abstractions;

namespace StemeQL.Storage.Objects.S3;

/// <summary>
/// Objects in an S3 bucket (or any S3-compatible store), at <c>prefix/ab/cdef…</c> after their
/// SHA-256. A put spools to a local temporary file first (the key is the hash, known only at the
/// end of the stream), skips the upload when the key exists, and uploads in parts above the part
/// size. A read is a GET (of a byte range when it starts at an offset), streamed.
/// </summary>
internal sealed class S3ObjectStore : IObjectStore
{
    private readonly AmazonS3Client _client;
    private readonly ObjectStoreSettings _settings;
    private readonly string _spoolFolder;
    private readonly string _bucket;

    public S3ObjectStore(ObjectStoreSettings settings, string spoolFolder)
    {
        _settings = settings;
        _bucket = settings.Bucket ?? throw new ArgumentException("An S3 object store needs a bucket.", nameof(settings));
        _spoolFolder = spoolFolder;
        _client = S3Clients.Create(settings);
        Location = $"s3://{_bucket}/{settings.Prefix}";
    }

    public string Location { get; }

    public async Task<ObjectReference> PutAsync(Stream content, CancellationToken cancellation)
    {
        var (temp, reference) = await ObjectSpooler.SpoolAsync(content, _spoolFolder, cancellation).ConfigureAwait(false);
        try
        {
            string key = Key(reference.Hash);
            if (await ExistsAsync(key, cancellation).ConfigureAwait(false)) return reference;   // identical objects are stored once
            await S3Upload.FileAsync(_client, _bucket, key, temp, _settings.PartSize, cancellation).ConfigureAwait(false);
            return reference;
        }
        catch (Exception error) when (S3Errors.ForWrite(error, Location, "storing an object") is { } translated)
        {
            throw translated;
        }
        finally
        {
            ObjectSpooler.TryDelete(temp);
        }
    }

    public async Task<Stream> OpenReadAsync(ObjectReference reference, long offset, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var request = new GetObjectRequest { BucketName = _bucket, Key = Key(reference.Hash) };
        if (offset > 0 && offset >= reference.Length) return new MemoryStream([], writable: false);
        // Always a ranged GET, the whole object included: on a plain GET the SDK wraps the body in an
        // MD5 check of the ETag that allocates more than it reads (138 MB for a 96 MB object), and
        // VerifyingStream checks the SHA-256 anyway. S3 answers 416 when the stored object is empty.
        if (reference.Length > 0) request.ByteRange = new ByteRange($"bytes={offset}-");
        GetObjectResponse response;
        try
        {
            response = await _client.GetObjectAsync(request, cancellation).ConfigureAwait(false);
        }
        catch (AmazonS3Exception error) when (error.StatusCode == System.Net.HttpStatusCode.NotFound && error.ErrorCode != "NoSuchBucket")
        {
            throw ObjectErrors.Missing(reference, Location, error);
        }
        catch (AmazonS3Exception error) when (error.StatusCode == System.Net.HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            throw ObjectErrors.Damaged(reference, Location, $"it has fewer than {offset + 1} bytes");
        }
        catch (Exception error) when (S3Errors.ForRead(error, Location, "opening an object") is { } translated)
        {
            throw translated;
        }
        var body = new S3ResponseStream(response, Location);
        return offset == 0 ? new VerifyingStream(body, reference, Location) : body;
    }

    private string Key(ContentHash hash) => _settings.Prefix + ObjectErrors.RelativeName(hash);

    private async Task<bool> ExistsAsync(string key, CancellationToken cancellation)
    {
        try
        {
            await _client.GetObjectMetadataAsync(_bucket, key, cancellation).ConfigureAwait(false);
            return true;
        }
        catch (AmazonS3Exception error) when (error.StatusCode == System.Net.HttpStatusCode.NotFound && error.ErrorCode != "NoSuchBucket")
        {
            return false;
        }
    }

    public void Dispose() => _client.Dispose();
}
