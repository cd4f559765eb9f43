using System.Buffers;
using System.Buffers.Binary;
using StemeQL.Core.Model;

namespace StemeQL.Core.Encoding;

/// <summary>
/// The canonical binary encoding of an assertion's identity, the input of its SHA-256 hash.
/// Format (version 1): the byte 0x01, then subject, predicate, object, epoch and agent, then the
/// lineage. Strings are UTF-8 prefixed by their byte length as an unsigned LEB128 varint; the
/// object is its <see cref="ObjectType"/> byte followed by an 8-byte big-endian integer, the
/// 8-byte big-endian IEEE bits of a real, one byte for a boolean, or a length-prefixed text string;
/// the lineage is a varint count followed by the 32-byte hashes in ascending order.
/// Version 2, used when the object is bytes (and only then, so no other hash changed): the same,
/// with the bytes object written as its varint length followed by the SHA-256 of the bytes (the
/// name of the bytes in the object store). An assertion's hash therefore does not depend on where
/// its bytes are kept (in the row, the object folder or S3), and a streamed value is hashed in the
/// one pass that stores it. Version 1 wrote the bytes themselves (length-prefixed).
/// Changing any of this changes every hash: add a new version instead.
/// </summary>
public static class CanonicalEncoding
{
    /// <summary>The version byte that starts the encoding of an assertion whose object is not bytes.</summary>
    public const byte Version = 1;

    /// <summary>The version byte that starts the encoding of an assertion whose object is bytes (hashed by their SHA-256).</summary>
    public const byte BytesVersion = 2;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    /// <summary>Encodes the identity of <paramref name="assertion"/>.</summary>
    public static byte[] Encode(Assertion assertion)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        Write(buffer, assertion);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The content hash of <paramref name="assertion"/>: SHA-256 of its encoding, through a reused per-thread buffer (bulk loads hash millions).</summary>
    public static ContentHash Hash(Assertion assertion)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(256);
        buffer.ResetWrittenCount();
        Write(buffer, assertion);
        return ContentHash.Compute(buffer.WrittenSpan);
    }

    private static void Write(ArrayBufferWriter<byte> buffer, Assertion assertion)
    {
        buffer.GetSpan(1)[0] = assertion.Object.Kind == ValueKind.Bytes ? BytesVersion : Version;
        buffer.Advance(1);
        WriteString(buffer, assertion.Subject);
        WriteString(buffer, assertion.Predicate);
        WriteValue(buffer, assertion.Object);
        WriteString(buffer, assertion.Epoch);
        WriteString(buffer, assertion.Agent);
        WriteVarint(buffer, (ulong)assertion.Lineage.Count);
        foreach (var hash in assertion.Lineage)
            buffer.Write(hash.Bytes);
    }

    /// <summary>Sorts lineage hashes and drops duplicates, so the same set always encodes alike.</summary>
    public static IReadOnlyList<ContentHash> NormalizeLineage(IReadOnlyList<ContentHash>? lineage)
    {
        if (lineage is null || lineage.Count == 0) return [];
        var sorted = lineage.Distinct().ToArray();
        Array.Sort(sorted);
        return sorted;
    }

    /// <summary>Writes a typed object value as the identity encoding does (bytes by length and SHA-256).</summary>
    public static void WriteValue(IBufferWriter<byte> buffer, StemeValue value)
    {
        var type = value.ObjectType;
        var span = buffer.GetSpan(9);
        span[0] = (byte)type;
        switch (type)
        {
            case ObjectType.Integer:
                BinaryPrimitives.WriteInt64BigEndian(span[1..], value.AsInteger);
                buffer.Advance(9);
                break;
            case ObjectType.Real:
                BinaryPrimitives.WriteInt64BigEndian(span[1..], BitConverter.DoubleToInt64Bits(value.AsReal));
                buffer.Advance(9);
                break;
            case ObjectType.Boolean:
                span[1] = value.AsBoolean ? (byte)1 : (byte)0;
                buffer.Advance(2);
                break;
            case ObjectType.Text:
                buffer.Advance(1);
                WriteString(buffer, value.AsText);
                break;
            case ObjectType.Bytes:
                buffer.Advance(1);
                WriteVarint(buffer, (ulong)value.BytesLength);
                buffer.Write(value.BytesDigest.Bytes);
                break;
        }
    }

    /// <summary>Writes a UTF-8 string prefixed by its byte length.</summary>
    public static void WriteString(IBufferWriter<byte> buffer, string text)
    {
        int length = System.Text.Encoding.UTF8.GetByteCount(text);
        WriteVarint(buffer, (ulong)length);
        System.Text.Encoding.UTF8.GetBytes(text, buffer.GetSpan(length));
        buffer.Advance(length);
    }

    /// <summary>Writes an unsigned LEB128 varint.</summary>
    public static void WriteVarint(IBufferWriter<byte> buffer, ulong value)
    {
        var span = buffer.GetSpan(10);
        int i = 0;
        while (value >= 0x80)
        {
            span[i++] = (byte)(value | 0x80);
            value >>= 7;
        }
        span[i++] = (byte)value;
        buffer.Advance(i);
    }
}
