namespace StemeQL.Storage.Embedded;

/// <summary>
/// Microsoft.Data.Sqlite binds text over 512 characters through SQLitePCLRaw's string overload, which
/// hands SQLite a NUL-terminated copy: a key holding U+0000 was cut there and matched nothing. Such text
/// is bound as its UTF-8 bytes (with their length), and the read statements cast text keys back to TEXT.
/// </summary>
internal static class TextKey
{
    /// <summary>The value to bind for a key: text holding U+0000 as UTF-8 bytes, anything else as it is.</summary>
    public static object Bindable(object value) =>
        value is string text && text.Contains('\0', StringComparison.Ordinal) ? System.Text.Encoding.UTF8.GetBytes(text) : value;
}
