using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using Amazon.S3;

namespace StemeQL.Storage.Objects.S3;

/// <summary>Turns the S3 client's failures into StemeExceptions with a stable code that says what to do.</summary>
internal static class S3Errors
{
    /// <summary>The StemeException for <paramref name="error"/>, or null to let it through (cancellation, a StemeException).</summary>
    public static StemeException? Translate(Exception error, string location, string doing) => error switch
    {
        StemeException or OperationCanceledException when error is not TaskCanceledException { InnerException: TimeoutException } => null,
        AmazonS3Exception { ErrorCode: "NoSuchBucket" } => new StemeException(StemeErrorCode.ObjectStoreBucketMissing,
            $"The bucket of the object store {location} does not exist (while {doing}): create it, or fix the Object Bucket keyword.", error),
        AmazonS3Exception { StatusCode: HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized } => new StemeException(StemeErrorCode.ObjectStoreAccessDenied,
            $"The object store {location} refused access (while {doing}: {error.Message}): check the credentials (Object Access Key / Object Secret Key, or AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_PROFILE) and the bucket's policy.", error),
        AmazonClientException when IsUnreachable(error) => Unreachable(error, location, doing),
        AmazonClientException when error.Message.Contains("credentials", StringComparison.OrdinalIgnoreCase) => new StemeException(StemeErrorCode.ObjectStoreAccessDenied,
            $"No AWS credentials were found for the object store {location} (while {doing}): set Object Access Key and Object Secret Key, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE.", error),
        HttpRequestException or SocketException or TimeoutException or TaskCanceledException => Unreachable(error, location, doing),
        AmazonServiceException => new StemeException(StemeErrorCode.StorageFailure,
            $"The object store {location} failed (while {doing}): {error.Message}. Check the store's status and retry.", error),
        _ => null,
    };

    private static bool IsUnreachable(Exception error)
    {
        for (var e = error.InnerException; e is not null; e = e.InnerException)
            if (e is HttpRequestException or SocketException or TimeoutException) return true;
        return false;
    }

    private static StemeException Unreachable(Exception error, string location, string doing) =>
        new(StemeErrorCode.ObjectStoreUnreachable,
            $"The object store {location} could not be reached (while {doing}: {error.Message}): check the endpoint (Object Service URL) and the network, then retry; nothing was written.", error);
}
