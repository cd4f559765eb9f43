using System.Security.Cryptography;
using StemeQL.Core.Model;

namespace StemeQL.Storage.Objects;

/// <summary>
/// Reads an object from its start and hashes what passes through; at the end of the stream it
/// compares the SHA-256 and the length with the object's name, so damage is an error, never silent.
/// </summary>
internal sealed class VerifyingStream(Stream inner, ObjectReference reference, string location) : Stream
{
    private readonly IncrementalHash _sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _read;
    private bool _verified;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => reference.Length;

    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException("An object stream reads forward only: open it again at an offset (GetBytes) to start elsewhere.");
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int n = inner.Read(buffer);
        return Account(buffer[..n], atEnd: n == 0 && !buffer.IsEmpty);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int n = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        return Account(buffer.Span[..n], atEnd: n == 0 && !buffer.IsEmpty);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    // A read of 0 bytes into a non-empty buffer is the end of the stream: only then is the hash compared.
    private int Account(ReadOnlySpan<byte> data, bool atEnd)
    {
        if (!data.IsEmpty)
        {
            _sha256.AppendData(data);
            _read += data.Length;
            if (_read > reference.Length) throw ObjectErrors.Damaged(reference, location, $"it is longer than {reference.Length} bytes");
        }
        else if (atEnd && !_verified)
        {
            Verify();
        }
        return data.Length;
    }

    private void Verify()
    {
        _verified = true;
        if (_read != reference.Length) throw ObjectErrors.Damaged(reference, location, $"it has {_read} bytes, not {reference.Length}");
        Span<byte> digest = stackalloc byte[ContentHash.Size];
        _sha256.GetHashAndReset(digest);
        var actual = ContentHash.FromBytes(digest);
        if (actual != reference.Hash) throw ObjectErrors.Damaged(reference, location, $"its bytes hash to {actual}");
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("An object stream reads forward only.");
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
            _sha256.Dispose();
        }
        base.Dispose(disposing);
    }
}
