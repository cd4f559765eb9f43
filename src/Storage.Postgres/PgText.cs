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

    /// <summary>The text stored as <paramref name="bytes"/>.</summary>
    public static string FromColumn(byte[] bytes) => Utf8.GetString(bytes);

    /// <summary>Every text of <paramref name="texts"/> as stored, for an <c>= ANY(...)</c> parameter.</summary>
    public static byte[][] ToColumns(IEnumerable<string> texts) => [.. texts.Select(ToColumn)];
}
