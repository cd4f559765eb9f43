using System.Globalization;
using System.Text;

namespace StemeQL.Fuzz;

/// <summary>How an input is executed.</summary>
internal enum ExecutionMode
{
    NonQuery,
    ReadAll,
    ReadPartly,
    Scalar,
    Batch,
    InTransaction,
}

/// <summary>One fuzz input: command text, parameters (name, CLR value) and how to run it.</summary>
internal sealed record FuzzInput(string Text, IReadOnlyList<(string Name, object? Value)> Parameters, ExecutionMode Mode)
{
    /// <summary>A printable, replayable description: every character outside printable ASCII as \uXXXX.</summary>
    public string Describe(int maxChars = int.MaxValue)
    {
        var builder = new StringBuilder();
        builder.Append("mode=").Append(Mode).Append(" text=\"").Append(Escape(Text, maxChars)).Append('"');
        foreach (var (name, value) in Parameters)
            builder.Append(" @").Append(name).Append('=').Append(DescribeValue(value, maxChars));
        return builder.ToString();
    }

    private static string DescribeValue(object? value, int maxChars) => value switch
    {
        null => "null",
        DBNull => "DBNull",
        string s => $"string(\"{Escape(s, maxChars)}\")",
        char c => $"char({Escape(c.ToString(), maxChars)})",
        byte[] bytes => $"byte[{bytes.Length}]",
        Stream stream => $"{stream.GetType().Name}[{stream.Length}]",
        IFormattable formattable => $"{value.GetType().Name}({formattable.ToString(null, CultureInfo.InvariantCulture)})",
        _ => value.GetType().Name,
    };

    /// <summary>The text with every character outside printable ASCII (and \ and ") escaped as \uXXXX; cut at <paramref name="maxChars"/>.</summary>
    public static string Escape(string text, int maxChars = int.MaxValue)
    {
        var builder = new StringBuilder(Math.Min(text.Length, maxChars) + 16);
        for (int i = 0; i < text.Length && i < maxChars; i++)
        {
            char c = text[i];
            if (c is >= ' ' and <= '~' and not '\\' and not '"') builder.Append(c);
            else builder.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
        }
        if (text.Length > maxChars) builder.Append("…(").Append(text.Length.ToString(CultureInfo.InvariantCulture)).Append(" chars)");
        return builder.ToString();
    }
}
