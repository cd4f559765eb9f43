namespace StemeQL.Cli;

/// <summary>One statement of a text: from just after the previous <c>;</c> up to and including its own.</summary>
/// <param name="Text">The statement with the whitespace and comments before it, so positions map back.</param>
/// <param name="Line">The 1-based line of its first character in the text.</param>
/// <param name="Column">The 0-based column of its first character in the text.</param>
/// <param name="HasContent">False when it holds only whitespace and comments.</param>
/// <param name="Terminated">True when it ends with a <c>;</c>.</param>
/// <param name="Unclosed">True when the text ends inside a string, quoted identifier or block comment.</param>
internal readonly record struct StatementSegment(string Text, int Line, int Column, bool HasContent, bool Terminated, bool Unclosed);

/// <summary>
/// Splits StemeQL text at the <c>;</c> that end statements, skipping those inside
/// <c>'strings'</c>, <c>"quoted identifiers"</c>, <c>-- line comments</c> and <c>/* block comments */</c>.
/// It only scans; the parser still has the last word on what is valid.
/// </summary>
internal static class StatementSplitter
{
    private enum State { Code, SingleQuoted, DoubleQuoted, LineComment, BlockComment }

    /// <summary>The statements of <paramref name="text"/>, with an unterminated tail if the text has one.</summary>
    public static IReadOnlyList<StatementSegment> Split(string text)
    {
        var segments = new List<StatementSegment>();
        var state = State.Code;
        int start = 0, startLine = 1, startColumn = 0;
        int line = 1, lineStart = 0;
        bool hasContent = false;

        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            char next = i + 1 < text.Length ? text[i + 1] : '\0';
            switch (state)
            {
                case State.Code when c == '-' && next == '-':
                    state = State.LineComment;
                    i++;
                    break;
                case State.Code when c == '/' && next == '*':
                    state = State.BlockComment;
                    i++;
                    break;
                case State.Code when c == ';':
                    segments.Add(new StatementSegment(text[start..(i + 1)], startLine, startColumn, hasContent, Terminated: true, Unclosed: false));
                    (start, startLine, startColumn, hasContent) = (i + 1, line, i + 1 - lineStart, false);
                    break;
                case State.Code:
                    // A doubled quote ('it''s') simply leaves and re-enters the string.
                    if (c == '\'') state = State.SingleQuoted;
                    else if (c == '"') state = State.DoubleQuoted;
                    if (!char.IsWhiteSpace(c)) hasContent = true;
                    break;
                case State.SingleQuoted when c == '\'':
                case State.DoubleQuoted when c == '"':
                case State.LineComment when c == '\n':
                    state = State.Code;
                    break;
                case State.BlockComment when c == '*' && next == '/':
                    state = State.Code;
                    i++;
                    break;
            }
            if (c == '\n')
                (line, lineStart) = (line + 1, i + 1);
        }

        if (start < text.Length)
        {
            bool unclosed = state is State.SingleQuoted or State.DoubleQuoted or State.BlockComment;
            segments.Add(new StatementSegment(text[start..], startLine, startColumn, hasContent, Terminated: false, unclosed));
        }
        return segments;
    }

    /// <summary>True when the text holds a statement and ends with <c>;</c> (trailing whitespace and comments aside).</summary>
    public static bool IsComplete(string text)
    {
        var segments = Split(text);
        return segments.Any(s => s.HasContent) && segments.All(s => s.Terminated || (!s.HasContent && !s.Unclosed));
    }

    /// <summary>True when the text holds nothing to run: only whitespace, comments and empty statements.</summary>
    public static bool IsBlank(string text) => Split(text).All(s => !s.HasContent && !s.Unclosed);
}
