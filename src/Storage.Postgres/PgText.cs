using System.Text;

namespace StemeQL.Storage.Postgres;

/// <summary>
/// Text keys (subjects, predicates, agents, epochs) are stored as their UTF-8 bytes (<c>bytea</c>):
/// PostgreSQL's <c>text</c> cannot hold U+0000, and byte order is code-point order, the order the
/// embedded store sorts in. An unpaired surrogate becomes U+FFFD, as StemeQL normalises text anyway.
/// </summary>
internal static class PgText
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    /// <summary>The bytes stored for <paramref name="text"/>.</summary>
    public static byte[] ToColumn(string text) => Utf8.GetBytes(text);

    /// <summary>How many bytes <see cref="ToColumn"/> gives for <paramref name="text"/>.</summary>
    public static int ByteCount(string text) => Utf8.GetByteCount(text);

    /// <summary>Writes the bytes stored for <paramref name="text"/> into <paramref name="destination"/> (<see cref="ByteCount"/> long).</summary>
    public static void Encode(string text, Span<byte> destination) => Utf8.GetBytes(text, destination);

    /// <summary>The text stored as <paramref name="bytes"/>.</summary>
    public static string FromColumn(byte[] bytes) => Utf8.GetString(bytes);

    /// <summary>The longest key stored whole; a longer one is its first bytes and its SHA-256.</summary>
    public const int MaxKeyBytes = 1024;

    /// <summary>
    /// The indexed key of a subject or predicate: its bytes, or for text longer than <see cref="MaxKeyBytes"/>
    /// their first <see cref="MaxKeyBytes"/> and the SHA-256 of all (a B-tree entry holds at most about 2.7 KB).
    /// Equal keys mean equal text; key order is code-point order except between long texts that share their first kilobyte.
    /// </summary>
    public static byte[] Key(string text) => KeyOf(ToColumn(text));

    /// <summary>The <see cref="Key"/> of text already stored as <paramref name="column"/> (<see cref="ToColumn"/>): the same array when it is short.</summary>
    public static byte[] KeyOf(byte[] column) =>
        column.Length <= MaxKeyBytes ? column : [.. column.AsSpan(0, MaxKeyBytes), .. System.Security.Cryptography.SHA256.HashData(column)];

    /// <summary>The keys of <paramref name="texts"/>, for an <c>= ANY(...)</c> parameter.</summary>
    public static byte[][] Keys(IEnumerable<string> texts) => [.. texts.Select(Key)];

    /// <summary>Every text of <paramref name="texts"/> as stored, for an <c>= ANY(...)</c> parameter.</summary>
    public static byte[][] ToColumns(IEnumerable<string> texts) => [.. texts.Select(ToColumn)];
}
