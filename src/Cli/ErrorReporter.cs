using System.Text;
using System.Text.RegularExpressions;

namespace StemeQL.Cli;

/// <summary>Prints errors as <c>error [Code] message</c>, with the offending line and a caret for syntax errors.</summary>
internal static partial class ErrorReporter
{
    [GeneratedRegex(@"^line \d+:\d+:?\s*")]
    private static partial Regex PositionPrefix();

    /// <summary>One line describing an error that has no statement to point at.</summary>
    public static string Describe(Exception e) => e switch
    {
        StemeException steme => $"error [{steme.ErrorCode}] {steme.Message}",
        OperationCanceledException => "cancelled: the statement was stopped (Ctrl+C)",
        InvalidOperationException or ArgumentException or IOException or UnauthorizedAccessException or NotSupportedException
            => $"error: {e.Message}",
        _ => $"error: {e.GetType().Name}: {e.Message}",
    };

    /// <summary>
    /// Reports an error raised by <paramref name="segment"/> of <paramref name="text"/>. Positions count from
    /// the start of the text plus <paramref name="lineOffset"/> lines (a script's); null means typed at the prompt.
    /// </summary>
    public static void Report(TextWriter error, Exception e, StatementSegment segment, string text, int? lineOffset)
    {
        int offset = lineOffset ?? 0;
        if (e is StemeException { ErrorCode: StemeErrorCode.SyntaxError, Line: > 0 } syntax)
        {
            // The parser counts from the start of the statement; the user counts from the start of the input.
            int line = segment.Line + syntax.Line - 1;
            int column = syntax.Line == 1 ? segment.Column + syntax.Column : syntax.Column;
            string message = PositionPrefix().Replace(syntax.Message, "");
            error.WriteLine($"error [SyntaxError] line {line + offset}:{column} {message}");
            if (SourceLine(text, line) is { } source)
            {
                error.WriteLine("  " + source);
                error.WriteLine("  " + CaretPrefix(source, column) + "^");
            }
            return;
        }

        error.WriteLine(Describe(e));
        if (lineOffset is not null)
        {
            // In a script, say which statement failed; at the prompt the user has just typed it.
            int first = FirstContentLine(segment);
            if (SourceLine(text, first) is { } source)
                error.WriteLine($"  at line {first + offset}: {source.Trim()}");
        }
    }

    private static string? SourceLine(string text, int line)
    {
        var lines = text.Split('\n');
        return line >= 1 && line <= lines.Length ? lines[line - 1].TrimEnd('\r') : null;
    }

    /// <summary>Spaces up to the column, keeping tabs so the caret lines up under tab-indented text.</summary>
    private static string CaretPrefix(string source, int column)
    {
        var prefix = new StringBuilder(column);
        for (int i = 0; i < column; i++)
            prefix.Append(i < source.Length && source[i] == '\t' ? '\t' : ' ');
        return prefix.ToString();
    }

    /// <summary>The line of the segment's first token, skipping blank lines and comments before it.</summary>
    private static int FirstContentLine(StatementSegment segment)
    {
        int line = segment.Line;
        foreach (string raw in segment.Text.Split('\n'))
        {
            string trimmed = raw.Trim();
            if (trimmed.Length > 0 && !trimmed.StartsWith("--", StringComparison.Ordinal)) return line;
            line++;
        }
        return segment.Line;
    }
}
