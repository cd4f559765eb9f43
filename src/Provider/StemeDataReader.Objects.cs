using StemeQL.Core.Model;
using StemeQL.Internal;

namespace StemeQL;

// Large bytes values kept in the object store: the row holds only their reference, and the getters
// here stream them (from the file or an S3 GET) rather than loading them, unless asked for the whole value.
public sealed partial class StemeDataReader
{
    /// <summary>
    /// A stream over a bytes value. A value kept in the object store streams from the store without
    /// being loaded whole; reading it to the end verifies its SHA-256 and throws
    /// <see cref="StemeException"/> (<see cref="StemeErrorCode.IntegrityError"/>) on a mismatch. A value held in
    /// the row is a read-only stream over it; NULL throws <see cref="InvalidCastException"/>.
    /// </summary>
    public override Stream GetStream(int ordinal)
    {
        var value = Value(ordinal);
        return value.IsExternal ? OpenObject(value.AsObjectReference, 0) : GetFieldValue<Stream>(ordinal);
    }

    private T ExternalFieldValue<T>(StemeValue value, int ordinal)
    {
        if (typeof(T) == typeof(Stream)) return (T)(object)GetStream(ordinal);
        if (typeof(T) == typeof(byte[]) || typeof(T) == typeof(object)) return (T)(object)LoadObject(value);
        throw new InvalidCastException($"Column '{GetName(ordinal)}' holds a large bytes value ({value.AsObjectReference}): read it as byte[] or Stream.");
    }

    // The whole value in memory, verified: what GetValue and GetFieldValue<byte[]> promise.
    private byte[] LoadObject(StemeValue value)
    {
        var reference = value.AsObjectReference;
        if (reference.Length > Array.MaxLength)
            throw new InvalidOperationException($"The value {reference} is too large for one array: read it with GetStream.");
        var bytes = new byte[reference.Length];
        using var stream = OpenObject(reference, 0);
        stream.ReadExactly(bytes);
        _ = stream.Read(new byte[1]);   // reach the end: verify (a longer object throws there too)
        return bytes;
    }

    // GetBytes on a stored object: a read from the offset on, never loading the rest. A read of the
    // whole value from offset 0 goes through the verifying stream to its end, so it is verified too.
    private long ReadObjectRange(ObjectReference reference, long dataOffset, byte[]? buffer, int bufferOffset, int length)
    {
        if (buffer is null) return reference.Length;
        if (dataOffset < 0 || dataOffset > reference.Length)
            throw new ArgumentOutOfRangeException(nameof(dataOffset), dataOffset, "The offset is outside the value.");
        int count = (int)Math.Min(length, reference.Length - dataOffset);
        if (count <= 0) return 0;
        using var stream = OpenObject(reference, dataOffset);
        stream.ReadExactly(buffer, bufferOffset, count);
        if (dataOffset == 0 && count == reference.Length) _ = stream.Read(new byte[1]);   // reach the end: verify
        return count;
    }

    private Stream OpenObject(ObjectReference reference, long offset) =>
        _connection.Session.Objects.OpenReadAsync(reference, offset, CancellationToken.None).GetAwaiter().GetResult();
}
