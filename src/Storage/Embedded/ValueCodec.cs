using System.Buffers.Binary;
using System.Globalization;
using StemeQL.Core.Model;
using StemeQL.Storage.Abstractions;

namespace StemeQL.Storage.Embedded;

/// <summary>
/// Converts assertion objects to and from the <c>object</c> / <c>object_type</c> column pair.
/// Values are stored natively (TEXT, INTEGER, REAL, BLOB; booleans as INTEGER 0/1) so SQLite tools
/// show them as they are; the type column keeps 1, 1.0, '1' and TRUE distinct. A bytes value kept in
/// the object store is the TEXT <c>sha256:&lt;hex&gt;:&lt;length&gt;</c> (inline bytes are always a
/// BLOB, so the storage class tells them apart), which keeps the row small.
/// </summary>
internal static class ValueCodec
{
    /// <summary>The value to bind for <paramref name="value"/>'s <c>object</c> column.</summary>
    public static object ToColumn(StemeValue value) => value.ObjectType switch
    {
        ObjectType.Text => value.AsText,
        ObjectType.Integer => value.AsInteger,
        // SQLite binds NaN as NULL; keep its exact bits (they are part of the identity) as an 8-byte blob.
        ObjectType.Real => double.IsNaN(value.AsReal) ? RealBits(value.AsReal) : value.AsReal,
        ObjectType.Boolean => value.AsBoolean ? 1L : 0L,
        ObjectType.Bytes when value.IsExternal => ReferenceText(value.AsObjectReference),
        ObjectType.Bytes => value.AsBytes,
        _ => throw new ArgumentOutOfRangeException(nameof(value), value.Kind, "Not an object type."),
    };

    /// <summary>Reads the object stored in column <paramref name="ordinal"/> with type <paramref name="type"/>.</summary>
    public static StemeValue FromColumn<TRow>(TRow row, int ordinal, ObjectType type) where TRow : IStoredColumns
    {
        return type switch
        {
            ObjectType.Text => StemeValue.Text(row.IsNull(ordinal) ? "" : row.GetString(ordinal)),
            ObjectType.Integer => StemeValue.Integer(row.GetInt64(ordinal)),
            ObjectType.Real => row.IsBlob(ordinal)
                ? StemeValue.Real(BitConverter.Int64BitsToDouble(BinaryPrimitives.ReadInt64BigEndian(row.GetSpan(ordinal))))
                : StemeValue.Real(row.GetDouble(ordinal)),
            ObjectType.Boolean => StemeValue.Boolean(row.GetInt64(ordinal) != 0),
            // An empty blob may come back as NULL: it is still an empty byte string.
            ObjectType.Bytes when row.IsText(ordinal) => ParseReference(row.GetString(ordinal)),
            ObjectType.Bytes => StemeValue.Bytes(row.IsNull(ordinal) ? [] : row.GetSpan(ordinal)),
            _ => throw new StemeException(StemeErrorCode.StorageFailure,
                $"The store holds an object of unknown type {(int)type}: it was written by a newer StemeQL; open it with that version."),
        };
    }

    /// <summary>Concatenates lineage hashes (null when there are none).</summary>
    public static object LineageToColumn(IReadOnlyList<ContentHash> lineage) => (object?)StoredLineage.Join(lineage) ?? DBNull.Value;

    /// <summary>Splits a lineage column back into hashes.</summary>
    public static IReadOnlyList<ContentHash> LineageFromColumn<TRow>(TRow row, int ordinal) where TRow : IStoredColumns =>
        StoredLineage.Split(row.IsNull(ordinal) ? null : row.GetBytes(ordinal), "the data folder");

    /// <summary>The value to bind for a hash column.</summary>
    public static byte[] HashToColumn(ContentHash hash) => hash.Bytes.ToArray();

    private static string ReferenceText(ObjectReference reference) => StoredReference.Format(reference);

    private static StemeValue ParseReference(string text) => StoredReference.Parse(text, "the data folder");

    private static byte[] RealBits(double value)
    {
        var bits = new byte[sizeof(long)];
        BinaryPrimitives.WriteInt64BigEndian(bits, BitConverter.DoubleToInt64Bits(value));
        return bits;
    }
}
