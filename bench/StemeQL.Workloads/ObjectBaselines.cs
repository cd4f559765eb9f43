using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.S3.Transfer;

namespace StemeQL.Workloads;

/// <summary>
/// What the objects workload compares StemeQL with: the same bytes through a raw file copy + fsync and
/// a raw file read, and through the AWS SDK used as its documentation shows (TransferUtility upload,
/// GetObject read), against the same S3 endpoint.
/// </summary>
internal sealed class ObjectBaselines(string serviceUrl, string bucket) : IDisposable
{
    /// <summary>The buffer every read in the workload uses.</summary>
    public const int ReadBuffer = 1 << 20;

    // The part size StemeQL's S3 store uploads with by default (Object Part Size), so both sides send the same parts.
    private const long PartSize = 16L << 20;

    private readonly AmazonS3Client? _client = serviceUrl.Length == 0 ? null : new AmazonS3Client(
        new BasicAWSCredentials("S3RVER", "S3RVER"),
        new AmazonS3Config
        {
            ServiceURL = serviceUrl,
            ForcePathStyle = true,
            AuthenticationRegion = "us-east-1",
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        });

    /// <summary>The S3 settings for a StemeQL connection string, objects under <paramref name="prefix"/>.</summary>
    public string ConnectionStringFor(string prefix) =>
        $";Object Bucket={bucket};Object Prefix={prefix};Object Service URL={serviceUrl};Object Path Style=True;Object Access Key=S3RVER;Object Secret Key=S3RVER";

    /// <summary>Copies the file and fsyncs the copy.</summary>
    public static void CopyAndSync(string source, string target)
    {
        File.Copy(source, target);
        using var file = new FileStream(target, FileMode.Open, FileAccess.ReadWrite);
        file.Flush(flushToDisk: true);
    }

    /// <summary>Reads the file to its end with the workload's buffer.</summary>
    public static void ReadFile(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 0, FileOptions.SequentialScan);
        Drain(file);
    }

    /// <summary>Uploads the file with TransferUtility (multipart above the part size).</summary>
    public void Put(string key, string path)
    {
        using var transfer = new TransferUtility(Client);
        transfer.UploadAsync(new TransferUtilityUploadRequest { BucketName = bucket, Key = key, FilePath = path, PartSize = PartSize }).GetAwaiter().GetResult();
    }

    /// <summary>A plain GetObject, its body read to the end with the workload's buffer.</summary>
    public void Get(string key)
    {
        using var response = Client.GetObjectAsync(bucket, key).GetAwaiter().GetResult();
        Drain(response.ResponseStream);
    }

    /// <summary>Deletes every object under the prefix (s3rver keeps them on the same disk).</summary>
    public void DeleteAll(string prefix)
    {
        var listed = Client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = prefix }).GetAwaiter().GetResult();
        foreach (var entry in listed.S3Objects ?? []) Client.DeleteObjectAsync(bucket, entry.Key).GetAwaiter().GetResult();
    }

    public void Dispose() => _client?.Dispose();

    private AmazonS3Client Client => _client ?? throw new InvalidOperationException("No S3 endpoint was given.");

    private static void Drain(Stream stream)
    {
        var buffer = new byte[ReadBuffer];
        while (stream.Read(buffer) > 0)
        {
        }
    }
}
