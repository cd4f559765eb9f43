namespace StemeQL.Planner.Parsing;

/// <summary>Checks command text before the lexer sees it.</summary>
internal static class CommandTextCheck
{
    /// <summary>
    /// Throws a <see cref="StemeErrorCode.SyntaxError"/> at the first unpaired UTF-16 surrogate: the
    /// lexer reads code points, and half a surrogate pair is none.
    /// </summary>
    public static void RequireWellFormedUtf16(string text)
    {
        int line = 1, lineStart = 0;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '\n') (line, lineStart) = (line + 1, i + 1);
            if (!char.IsSurrogate(c)) continue;
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }
            int column = i - lineStart;
            throw new StemeException(
                $"line {line}:{column} the command text holds an unpaired UTF-16 surrogate (U+{(int)c:X4}), which is not a character: "
                + "fix the string that built the command, or pass the value as a parameter (where it is stored as U+FFFD).",
                line, column, []);
        }
    }
}
