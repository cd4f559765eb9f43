using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace StemeQL.Storage.Objects.S3;

/// <summary>
/// Uploads a spooled file: one PUT up to the part size, a multipart upload above it (aborted on
/// failure, so no half-written object is left under the key). Requests are signed over their
/// payload rather than sent with aws-chunked encoding, which S3-compatible servers do not all decode.
/// </summary>
internal static class S3Upload
{
    public static async Task FileAsync(IAmazonS3 client, string bucket, string key, string path, long partSize, CancellationToken cancellation)
    {
        long length = new FileInfo(path).Length;
        if (length <= partSize)
        {
            await client.PutObjectAsync(new PutObjectRequest
            {
                BucketName = bucket, Key = key, FilePath = path, UseChunkEncoding = false, ContentType = ContentType,
            }, cancellation).ConfigureAwait(false);
            return;
        }
        var start = await client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest
        {
            BucketName = bucket, Key = key, ContentType = ContentType,
        }, cancellation).ConfigureAwait(false);
        try
        {
            var parts = new List<PartETag>();
            for (long position = 0, number = 1; position < length; position += partSize, number++)
            {
                var part = await client.UploadPartAsync(new UploadPartRequest
                {
                    BucketName = bucket, Key = key, UploadId = start.UploadId, PartNumber = (int)number,
                    FilePath = path, FilePosition = position, PartSize = Math.Min(partSize, length - position), UseChunkEncoding = false,
                }, cancellation).ConfigureAwait(false);
                parts.Add(new PartETag((int)number, part.ETag));
            }
            await client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
            {
                BucketName = bucket, Key = key, UploadId = start.UploadId, PartETags = parts,
            }, cancellation).ConfigureAwait(false);
        }
        catch
        {
            await AbortQuietly(client, bucket, key, start.UploadId).ConfigureAwait(false);
            throw;
        }
    }

    private const string ContentType = "application/octet-stream";

    private static async Task AbortQuietly(IAmazonS3 client, string bucket, string key, string uploadId)
    {
        try
        {
            await client.AbortMultipartUploadAsync(bucket, key, uploadId).ConfigureAwait(false);
        }
        catch (Exception error) when (error is AmazonServiceException or AmazonClientException or HttpRequestException or IOException)
        {
            // The upload's parts expire by the bucket's lifecycle rule; the key was never written.
            // Quietly: the failure worth reporting is the one that made us abort.
        }
    }
}
