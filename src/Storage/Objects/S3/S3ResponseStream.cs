using Amazon.S3.Model;

namespace StemeQL.Storage.Objects.S3;

/// <summary>
/// The body of a GET, which owns the response (and its connection) until it is disposed. A failure
/// while the body streams (the connection reset, the server gone) surfaces from a plain stream read,
/// long after the GET returned: it is translated here, so a reader only ever sees a StemeException.
/// </summary>
internal sealed class S3ResponseStream(GetObjectResponse response, string location) : Stream
{
    private const string Doing = "reading an object's bytes";
    private readonly Stream _body = response.ResponseStream;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        try
        {
            return _body.Read(buffer);
        }
        catch (Exception error) when (S3Errors.ForRead(error, location, Doing) is { } translated)
        {
            throw translated;
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return await _body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (S3Errors.ForRead(error, location, Doing) is { } translated)
        {
            throw translated;
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) response.Dispose();
        base.Dispose(disposing);
    }
}
