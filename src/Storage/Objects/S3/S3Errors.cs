using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using Amazon.S3;

namespace StemeQL.Storage.Objects.S3;

/// <summary>
/// Turns the S3 client's failures into StemeExceptions with a stable code that says what to do. Only
/// an unreachable store is transient: a missing bucket or refused credentials stay so until fixed.
/// </summary>
internal static class S3Errors
{
    private const string RetryWrite = "then retry the statement; nothing was written";
    private const string RetryRead = "then read the value again (a broken stream does not resume: read it anew); nothing was changed";

    /// <summary>The StemeException for a failed put, or null to let it through (cancellation, a StemeException, a local error).</summary>
    public static StemeException? ForWrite(Exception error, string location, string doing) => Translate(error, location, doing, RetryWrite, bodyStream: false);

    /// <summary>
    /// The StemeException for a failed GET or a failure while its body streams (any I/O error of the
    /// body is the network's: the body is an HTTP response), or null to let it through (cancellation, a StemeException).
    /// </summary>
    public static StemeException? ForRead(Exception error, string location, string doing) => Translate(error, location, doing, RetryRead, bodyStream: true);

    private static StemeException? Translate(Exception error, string location, string doing, string retry, bool bodyStream) => error switch
    {
        StemeException or OperationCanceledException when error is not TaskCanceledException { InnerException: TimeoutException } => null,
        AmazonS3Exception { ErrorCode: "NoSuchBucket" } => new StemeException(StemeErrorCode.ObjectStoreBucketMissing,
            $"The bucket of the object store {location} does not exist (while {doing}): create it, or fix the Object Bucket keyword.", error),
        AmazonS3Exception { StatusCode: HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized } => new StemeException(StemeErrorCode.ObjectStoreAccessDenied,
            $"The object store {location} refused access (while {doing}: {error.Message}): check the credentials (Object Access Key / Object Secret Key, or AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_PROFILE) and the bucket's policy.", error),
        AmazonClientException when IsNetwork(error.InnerException) => Unreachable(error, location, doing, retry),
        AmazonClientException when error.Message.Contains("credentials", StringComparison.OrdinalIgnoreCase) => new StemeException(StemeErrorCode.ObjectStoreAccessDenied,
            $"No AWS credentials were found for the object store {location} (while {doing}): set Object Access Key and Object Secret Key, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE.", error),
        _ when IsNetwork(error) || (bodyStream && error is IOException) => Unreachable(error, location, doing, retry),
        AmazonServiceException { StatusCode: >= HttpStatusCode.InternalServerError } => new StemeException(StemeErrorCode.ObjectStoreUnreachable,
            $"The object store {location} failed (while {doing}: {error.Message}): it answered with a server error; {retry}.", error),
        AmazonServiceException => new StemeException(StemeErrorCode.StorageFailure,
            $"The object store {location} failed (while {doing}): {error.Message}. Check the store's status and the connection string's Object keywords.", error),
        _ => null,
    };

    // A failure of the connection itself, anywhere in the chain: refused, reset, cut off mid-response, timed out.
    private static bool IsNetwork(Exception? error)
    {
        for (var e = error; e is not null; e = e.InnerException)
            if (e is HttpRequestException or HttpIOException or SocketException or TimeoutException or TaskCanceledException) return true;
        return false;
    }

    private static StemeException Unreachable(Exception error, string location, string doing, string retry) =>
        new(StemeErrorCode.ObjectStoreUnreachable,
            $"The object store {location} could not be reached (while {doing}: {error.Message}): check the endpoint (Object Service URL) and the network, {retry}.", error);
}
