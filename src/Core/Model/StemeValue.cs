using System.Globalization;

namespace StemeQL.Core.Model;

/// <summary>The kinds of value a StemeQL expression or column can hold.</summary>
public enum ValueKind : byte
{
    /// <summary>SQL NULL.</summary>
    Null = 0,
    /// <summary>Text.</summary>
    Text = ObjectType.Text,
    /// <summary>64-bit integer.</summary>
    Integer = ObjectType.Integer,
    /// <summary>64-bit floating point.</summary>
    Real = ObjectType.Real,
    /// <summary>Boolean.</summary>
    Boolean = ObjectType.Boolean,
    /// <summary>Bytes.</summary>
    Bytes = ObjectType.Bytes,
    /// <summary>A UTC point in time (columns such as <c>asserted_at</c>; never an object).</summary>
    Timestamp = 6,
}

/// <summary>
/// An immutable typed value: an assertion's object, a literal, a parameter or a column value.
/// <see cref="Equals(StemeValue)"/> is identity (same kind and value, so 1 and 1.0 differ, as they do
/// in the content hash); <see cref="CompareSql"/> is SQL comparison (numbers compare across kinds).
/// </summary>
public readonly struct StemeValue : IEquatable<StemeValue>
{
    private readonly long _number;   // integer, boolean (0/1), timestamp ticks, real bits, or a bytes value's length
    private readonly object? _ref;   // string, byte[] or ObjectReference

    private StemeValue(ValueKind kind, long number, object? reference)
    {
        Kind = kind;
        _number = number;
        _ref = reference;
    }

    /// <summary>The value's kind.</summary>
    public ValueKind Kind { get; }

    /// <summary>NULL.</summary>
    public static StemeValue Null => default;

    /// <summary>True for NULL.</summary>
    public bool IsNull => Kind == ValueKind.Null;

    /// <summary>True for integer and real.</summary>
    public bool IsNumeric => Kind is ValueKind.Integer or ValueKind.Real;

    /// <summary>
    /// A text value. An unpaired surrogate (which UTF-8, and so the hash, the journal and the store,
    /// cannot hold) becomes U+FFFD here already, so a parameter compares equal to what was stored.
    /// </summary>
    public static StemeValue Text(string value) =>
        new(ValueKind.Text, 0, WellFormed(value ?? throw new ArgumentNullException(nameof(value))));

    /// <summary>An integer value.</summary>
    public static StemeValue Integer(long value) => new(ValueKind.Integer, value, null);

    /// <summary>A real value; -0.0 is stored as 0.0 so equal numbers hash alike.</summary>
    public static StemeValue Real(double value) =>
        new(ValueKind.Real, BitConverter.DoubleToInt64Bits(value == 0 ? 0.0 : value), null);

    /// <summary>A boolean value.</summary>
    public static StemeValue Boolean(bool value) => new(ValueKind.Boolean, value ? 1 : 0, null);

    /// <summary>A bytes value (the array is copied).</summary>
    public static StemeValue Bytes(ReadOnlySpan<byte> value) => new(ValueKind.Bytes, value.Length, value.ToArray());

    /// <summary>A bytes value kept in the object store, known by its SHA-256 and length.</summary>
    public static StemeValue External(ObjectReference reference) =>
        new(ValueKind.Bytes, (reference ?? throw new ArgumentNullException(nameof(reference))).Length, reference);

    /// <summary>True for a bytes value kept in the object store (<see cref="AsObjectReference"/>), whose bytes are not in memory.</summary>
    public bool IsExternal => _ref is ObjectReference;

    /// <summary>The object-store reference of an external bytes value; throws unless <see cref="IsExternal"/>.</summary>
    public ObjectReference AsObjectReference => _ref as ObjectReference
        ?? throw new InvalidOperationException($"The value is {Kind}, not a bytes value kept in the object store.");

    /// <summary>The number of bytes of a bytes value, inline or external; throws unless Bytes.</summary>
    public long BytesLength => Kind == ValueKind.Bytes ? _number : throw WrongKind(ValueKind.Bytes);

    /// <summary>The SHA-256 of a bytes value's bytes (computed for an inline value); throws unless Bytes.</summary>
    public ContentHash BytesDigest => IsExternal ? AsObjectReference.Hash : ContentHash.Compute(AsBytes);

    /// <summary>A UTC timestamp.</summary>
    public static StemeValue Timestamp(DateTime value) =>
        new(ValueKind.Timestamp, value.ToUniversalTime().Ticks, null);

    /// <summary>The text; throws unless <see cref="Kind"/> is Text.</summary>
    public string AsText => Kind == ValueKind.Text ? (string)_ref! : throw WrongKind(ValueKind.Text);

    /// <summary>The integer; throws unless Integer.</summary>
    public long AsInteger => Kind == ValueKind.Integer ? _number : throw WrongKind(ValueKind.Integer);

    /// <summary>The number as a double; integer or real.</summary>
    public double AsReal => Kind switch
    {
        ValueKind.Real => BitConverter.Int64BitsToDouble(_number),
        ValueKind.Integer => _number,
        _ => throw WrongKind(ValueKind.Real),
    };

    /// <summary>The boolean; throws unless Boolean.</summary>
    public bool AsBoolean => Kind == ValueKind.Boolean ? _number != 0 : throw WrongKind(ValueKind.Boolean);

    /// <summary>The bytes (not copied: do not modify); throws unless Bytes.</summary>
    public byte[] AsBytes => _ref switch
    {
        byte[] bytes => bytes,
        ObjectReference reference => throw new InvalidOperationException(
            $"The value is a large object kept in the object store ({reference}): read it as a stream (DbDataReader.GetStream) or with GetBytes."),
        _ => throw WrongKind(ValueKind.Bytes),
    };

    /// <summary>The UTC timestamp; throws unless Timestamp.</summary>
    public DateTime AsTimestamp => Kind == ValueKind.Timestamp
        ? new DateTime(_number, DateTimeKind.Utc)
        : throw WrongKind(ValueKind.Timestamp);

    /// <summary>The object type of a value that can be an assertion's object.</summary>
    public ObjectType ObjectType => Kind is ValueKind.Null or ValueKind.Timestamp
        ? throw new InvalidOperationException($"A {Kind} value cannot be an assertion's object.")
        : (ObjectType)Kind;

    /// <summary>The CLR value: null, string, long, double, bool, byte[] or DateTime.</summary>
    public object? ToClr() => Kind switch
    {
        ValueKind.Null => null,
        ValueKind.Text => AsText,
        ValueKind.Integer => _number,
        ValueKind.Real => AsReal,
        ValueKind.Boolean => _number != 0,
        ValueKind.Bytes => AsBytes,
        ValueKind.Timestamp => AsTimestamp,
        _ => null,
    };

    /// <summary>
    /// SQL comparison: null when either side is NULL or the kinds cannot be compared
    /// (text with a number, say); numbers compare numerically across integer and real.
    /// </summary>
    public int? CompareSql(StemeValue other)
    {
        if (IsNull || other.IsNull) return null;
        if (IsNumeric && other.IsNumeric)
        {
            return Kind == ValueKind.Integer && other.Kind == ValueKind.Integer
                ? _number.CompareTo(other._number)
                : AsReal.CompareTo(other.AsReal);
        }
        if (Kind != other.Kind) return null;
        return CompareSameKind(other);
    }

    /// <summary>
    /// A total order for ORDER BY: NULL first, then numbers, text, booleans, bytes, timestamps
    /// (SQLite's order of storage classes), values within a class by <see cref="CompareSql"/>.
    /// </summary>
    public int CompareForSort(StemeValue other)
    {
        int rank = SortRank.CompareTo(other.SortRank);
        if (rank != 0) return rank;
        return CompareSql(other) ?? 0;
    }

    private int SortRank => Kind switch
    {
        ValueKind.Null => 0,
        ValueKind.Integer or ValueKind.Real => 1,
        ValueKind.Text => 2,
        ValueKind.Boolean => 3,
        ValueKind.Bytes => 4,
        _ => 5,
    };

    private int CompareSameKind(StemeValue other) => Kind switch
    {
        ValueKind.Text => StemeQL.Core.Text.CodePointComparer.CompareStrings(AsText, other.AsText),
        ValueKind.Bytes => CompareBytes(other),
        _ => _number.CompareTo(other._number),
    };

    /// <inheritdoc />
    public bool Equals(StemeValue other) =>
        Kind == other.Kind && Kind switch
        {
            ValueKind.Text => string.Equals(AsText, other.AsText, StringComparison.Ordinal),
            ValueKind.Bytes => BytesEqual(other),
            _ => _number == other._number,
        };

    // Inline bytes compare by their bytes. An external value's bytes are not in memory: it equals a
    // value with the same length and SHA-256, sorts after inline values, and among external values by hash.
    private bool BytesEqual(StemeValue other) =>
        !IsExternal && !other.IsExternal
            ? AsBytes.AsSpan().SequenceEqual(other.AsBytes)
            : _number == other._number && BytesDigest == other.BytesDigest;

    private int CompareBytes(StemeValue other)
    {
        if (!IsExternal && !other.IsExternal) return AsBytes.AsSpan().SequenceCompareTo(other.AsBytes);
        if (BytesEqual(other)) return 0;
        if (IsExternal != other.IsExternal) return IsExternal ? 1 : -1;
        return AsObjectReference.Hash.CompareTo(other.AsObjectReference.Hash);
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is StemeValue other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => Kind switch
    {
        ValueKind.Text => HashCode.Combine(Kind, AsText),
        ValueKind.Bytes => HashCode.Combine(Kind, _number),
        _ => HashCode.Combine(Kind, _number),
    };

    /// <summary>Equality (identity: kind and value).</summary>
    public static bool operator ==(StemeValue left, StemeValue right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(StemeValue left, StemeValue right) => !left.Equals(right);

    /// <summary>The value as a StemeQL literal would print it (text unquoted).</summary>
    public override string ToString() => Kind switch
    {
        ValueKind.Null => "NULL",
        ValueKind.Text => AsText,
        ValueKind.Integer => _number.ToString(CultureInfo.InvariantCulture),
        ValueKind.Real => AsReal.ToString("R", CultureInfo.InvariantCulture),
        ValueKind.Boolean => _number != 0 ? "true" : "false",
        ValueKind.Bytes when IsExternal => AsObjectReference.ToString(),
        ValueKind.Bytes => "x'" + Convert.ToHexStringLower(AsBytes) + "'",
        ValueKind.Timestamp => AsTimestamp.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture),
        _ => "?",
    };

    // Most text has no surrogates at all: one vectorised search, and no copy unless one is unpaired.
    // SearchValues, not IndexOfAnyInRange: the generic range search boxed a char per call on this path.
    private static readonly System.Buffers.SearchValues<char> Surrogates =
        System.Buffers.SearchValues.Create([.. Enumerable.Range(0xD800, 0x800).Select(c => (char)c)]);

    private static string WellFormed(string text)
    {
        int first = text.AsSpan().IndexOfAny(Surrogates);
        if (first < 0) return text;
        char[]? copy = null;
        for (int i = first; i < text.Length; i++)
        {
            if (!char.IsSurrogate(text[i])) continue;
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }
            copy ??= text.ToCharArray();
            copy[i] = '\uFFFD';
        }
        return copy is null ? text : new string(copy);
    }

    private InvalidOperationException WrongKind(ValueKind wanted) =>
        new($"The value is {Kind}, not {wanted}.");
}
