using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using StemeQL.Storage.Objects.S3;

namespace StemeQL.Storage.Tests.Objects;

/// <summary>
/// The S3 answers s3rver cannot be made to give (a 503, an unexpected 400): the mapping is checked on
/// the exception the SDK raises for them. Everything s3rver can do is tested against it.
/// </summary>
public sealed class S3ErrorsTests
{
    private const string Location = "s3://bucket/";

    private static AmazonS3Exception Answer(HttpStatusCode status, string code) =>
        new($"{code} answer", ErrorType.Sender, code, "request-1", status);

    [Fact]
    public void A_server_error_answer_to_a_put_is_a_transient_ObjectStoreUnreachable()
    {
        var error = S3Errors.ForWrite(Answer(HttpStatusCode.ServiceUnavailable, "SlowDown"), Location, "storing an object");
        Assert.NotNull(error);
        Assert.Equal(StemeErrorCode.ObjectStoreUnreachable, error.ErrorCode);
        Assert.True(error.IsTransient);
        Assert.Contains("nothing was written", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Another_client_error_answer_is_a_StorageFailure_that_is_not_transient()
    {
        var error = S3Errors.ForRead(Answer(HttpStatusCode.BadRequest, "InvalidRequest"), Location, "opening an object");
        Assert.NotNull(error);
        Assert.Equal(StemeErrorCode.StorageFailure, error.ErrorCode);
        Assert.False(error.IsTransient);
    }

    [Fact]
    public void Cancellation_by_the_caller_is_not_translated()
    {
        Assert.Null(S3Errors.ForRead(new OperationCanceledException(), Location, "reading an object's bytes"));
    }
}
