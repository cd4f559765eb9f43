using StemeQL.Core.Model;

namespace StemeQL.Storage.Abstractions;

/// <summary>
/// A content-addressed store of large <c>bytes</c> values, each named by the SHA-256 of its bytes:
/// the data folder's <c>objects/</c> or an S3 bucket. Backend-neutral: every tier (embedded,
/// PostgreSQL) keeps its large values through this port. Objects are immutable, so a put of
/// bytes already stored writes nothing (identical objects are stored once).
/// </summary>
public interface IObjectStore : IDisposable
{
    /// <summary>Where the objects go, for messages: a folder path or <c>s3://bucket/prefix</c>.</summary>
    string Location { get; }

    /// <summary>
    /// Stores the rest of <paramref name="content"/>, hashing it as it is read (it need not fit in
    /// memory), and returns its reference once the object is durable (fsynced, or acknowledged by S3):
    /// only then may an assertion that names it be journaled.
    /// </summary>
    /// <exception cref="StemeException">The store cannot be written (disk full, S3 unreachable, access denied, no such bucket): nothing is left behind under the object's name.</exception>
    Task<ObjectReference> PutAsync(Stream content, CancellationToken cancellation);

    /// <summary>
    /// Opens <paramref name="reference"/> for reading from byte <paramref name="offset"/> on, streaming
    /// (from the file, or an S3 GET of that range). A stream opened at offset 0 verifies the SHA-256
    /// when it reaches the end and throws <see cref="StemeErrorCode.IntegrityError"/> naming the hash on a mismatch.
    /// </summary>
    /// <exception cref="StemeException">The object is missing (<see cref="StemeErrorCode.ObjectMissing"/>) or the store cannot be read.</exception>
    Task<Stream> OpenReadAsync(ObjectReference reference, long offset, CancellationToken cancellation);
}
