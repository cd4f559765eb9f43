using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using StemeQL.Core.Model;
using StemeQL.Storage.Abstractions;

namespace StemeQL.Storage.Postgres;

/// <summary>
/// Converts assertion objects to and from the <c>object_type</c> / <c>object</c> / <c>object_digest</c>
/// columns. Every object is stored as exact bytes (<c>bytea</c>), so nothing is coerced: text as UTF-8,
/// integers and reals as their 8 big-endian bytes (a real's bits, NaN's included), booleans as one byte.
/// A bytes value kept in the object store has a type of its own (<see cref="ExternalType"/>) and is
/// stored as <c>sha256:&lt;hex&gt;:&lt;length&gt;</c>. Objects are matched by type and SHA-256 digest:
/// a B-tree cannot index values of a mebibyte, and the digest keys the views' values too.
/// </summary>
internal static class PgValueCodec
{
    /// <summary>The stored type of a bytes value held in the object store.</summary>
    public const short ExternalType = 105;

    /// <summary>The stored type of <paramref name="value"/>.</summary>
    public static short TypeOf(StemeValue value) =>
        value.ObjectType == ObjectType.Bytes && value.IsExternal ? ExternalType : (short)value.ObjectType;

    /// <summary>The stored bytes of <paramref name="value"/> (an object kind: text, integer, real, boolean or bytes).</summary>
    public static byte[] ToColumn(StemeValue value) => value.ObjectType switch
    {
        ObjectType.Text => PgText.ToColumn(value.AsText),
        ObjectType.Integer => BigEndian(value.AsInteger),
        ObjectType.Real => BigEndian(BitConverter.DoubleToInt64Bits(value.AsReal)),
        ObjectType.Boolean => [value.AsBoolean ? (byte)1 : (byte)0],
        ObjectType.Bytes when value.IsExternal => PgText.ToColumn(ReferenceText(value.AsObjectReference)),
        ObjectType.Bytes => value.AsBytes,
        _ => throw new ArgumentOutOfRangeException(nameof(value), value.Kind, "Not an object type."),
    };

    /// <summary>The digest that keys a stored object.</summary>
    public static byte[] Digest(byte[] column) => SHA256.HashData(column);

    /// <summary>True when <paramref name="value"/> can be an object (so an object key can match it).</summary>
    public static bool IsObject(StemeValue value) => value.Kind is not (ValueKind.Null or ValueKind.Timestamp);

    /// <summary>The value stored as <paramref name="type"/> and <paramref name="column"/>.</summary>
    public static StemeValue FromColumn(short type, byte[] column) => type switch
    {
        (short)ObjectType.Text => StemeValue.Text(PgText.FromColumn(column)),
        (short)ObjectType.Integer => StemeValue.Integer(BinaryPrimitives.ReadInt64BigEndian(column)),
        (short)ObjectType.Real => StemeValue.Real(BitConverter.Int64BitsToDouble(BinaryPrimitives.ReadInt64BigEndian(column))),
        (short)ObjectType.Boolean => StemeValue.Boolean(column[0] != 0),
        (short)ObjectType.Bytes => StemeValue.Bytes(column),
        ExternalType => ParseReference(PgText.FromColumn(column)),
        _ => throw new StemeException(StemeErrorCode.StorageFailure,
            $"The store holds an object of unknown type {type}: it was written by a newer StemeQL; open it with that version."),
    };

    /// <summary>Concatenated lineage hashes (null when there are none).</summary>
    public static byte[]? LineageToColumn(IReadOnlyList<ContentHash> lineage) => StoredLineage.Join(lineage);

    /// <summary>Splits a lineage column back into hashes.</summary>
    public static IReadOnlyList<ContentHash> LineageFromColumn(byte[]? bytes) => StoredLineage.Split(bytes, "the database");

    /// <summary>The object reference stored as an external object's column.</summary>
    public static ObjectReference ReferenceOf(byte[] column) => ParseReference(PgText.FromColumn(column)).AsObjectReference;

    private static byte[] BigEndian(long value)
    {
        var bytes = new byte[sizeof(long)];
        BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        return bytes;
    }

    private static string ReferenceText(ObjectReference reference) => StoredReference.Format(reference);

    private static StemeValue ParseReference(string text) => StoredReference.Parse(text, "the database");
}
