using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace StemeQL.Core.Model;

/// <summary>A SHA-256 content address, printed as 64 lowercase hexadecimal characters.</summary>
public readonly struct ContentHash : IEquatable<ContentHash>, IComparable<ContentHash>
{
    /// <summary>The number of bytes in a hash.</summary>
    public const int Size = 32;

    // The bytes live inside the struct, not in an array: a hash costs no allocation, and a map of
    // hashes (the write path keeps one per write until it is ingested) holds no references for the
    // garbage collector to trace.
    private readonly HashBytes _bytes;

    [InlineArray(Size)]
    private struct HashBytes
    {
        private byte _first;
    }

    private ContentHash(ReadOnlySpan<byte> bytes) => bytes.CopyTo(_bytes);

    /// <summary>The raw 32 bytes (of this copy of the hash: the span cannot outlive it).</summary>
    [UnscopedRef]
    public ReadOnlySpan<byte> Bytes => _bytes;

    // One reusable SHA-256 state per thread: on Linux each SHA256.HashData call also sets up and
    // tears down an OpenSSL digest context, about a quarter of the cost of hashing a short input.
    [ThreadStatic]
    private static IncrementalHash? t_sha256;

    /// <summary>Hashes a canonical encoding.</summary>
    public static ContentHash Compute(ReadOnlySpan<byte> data)
    {
        var sha256 = t_sha256 ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha256.AppendData(data);
        Span<byte> bytes = stackalloc byte[Size];
        sha256.GetHashAndReset(bytes);
        return new ContentHash(bytes);
    }

    /// <summary>Wraps 32 raw bytes.</summary>
    public static ContentHash FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size)
            throw new ArgumentException($"A content hash has {Size} bytes, not {bytes.Length}.", nameof(bytes));
        return new ContentHash(bytes);
    }

    /// <summary>Parses 64 hexadecimal characters (either case).</summary>
    public static bool TryParse(string? text, out ContentHash hash)
    {
        hash = default;
        if (text is null || text.Length != Size * 2) return false;
        Span<byte> bytes = stackalloc byte[Size];
        if (Convert.FromHexString(text, bytes, out _, out int written) != System.Buffers.OperationStatus.Done || written != Size) return false;
        hash = new ContentHash(bytes);
        return true;
    }

    /// <summary>Parses a hash or throws <see cref="StemeException"/> with <see cref="StemeErrorCode.InvalidHash"/>.</summary>
    public static ContentHash Parse(string text) =>
        TryParse(text, out var hash)
            ? hash
            : throw new StemeException(StemeErrorCode.InvalidHash,
                $"'{Truncate(text)}' is not an assertion hash: a hash is 64 hexadecimal characters, as returned by ASSERT.");

    private static string Truncate(string text) => text.Length <= 80 ? text : text[..77] + "...";

    /// <inheritdoc />
    public bool Equals(ContentHash other) => Bytes.SequenceEqual(other.Bytes);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is ContentHash other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => MemoryMarshal.Read<int>(Bytes);

    /// <inheritdoc />
    public int CompareTo(ContentHash other) => Bytes.SequenceCompareTo(other.Bytes);

    /// <summary>The 64 lowercase hexadecimal characters.</summary>
    public override string ToString() => Convert.ToHexStringLower(Bytes);

    /// <summary>Equality.</summary>
    public static bool operator ==(ContentHash left, ContentHash right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(ContentHash left, ContentHash right) => !left.Equals(right);

    /// <summary>Ordering by bytes.</summary>
    public static bool operator <(ContentHash left, ContentHash right) => left.CompareTo(right) < 0;

    /// <summary>Ordering by bytes.</summary>
    public static bool operator >(ContentHash left, ContentHash right) => left.CompareTo(right) > 0;

    /// <summary>Ordering by bytes.</summary>
    public static bool operator <=(ContentHash left, ContentHash right) => left.CompareTo(right) <= 0;

    /// <summary>Ordering by bytes.</summary>
    public static bool operator >=(ContentHash left, ContentHash right) => left.CompareTo(right) >= 0;
}
