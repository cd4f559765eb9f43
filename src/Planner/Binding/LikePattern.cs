namespace StemeQL.Planner.Binding;

/// <summary>SQL LIKE matching: <c>%</c> matches any run of characters, <c>_</c> exactly one; case-sensitive.</summary>
internal static class LikePattern
{
    /// <summary>True when <paramref name="text"/> matches <paramref name="pattern"/>.</summary>
    public static bool Matches(ReadOnlySpan<char> text, ReadOnlySpan<char> pattern)
    {
        // Iterative wildcard match with backtracking to the last '%': linear in practice, no regex cache needed.
        int t = 0, p = 0, starP = -1, starT = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && (pattern[p] == '_' || pattern[p] == text[t]) && pattern[p] != '%')
            {
                t++;
                p++;
            }
            else if (p < pattern.Length && pattern[p] == '%')
            {
                starP = p++;
                starT = t;
            }
            else if (starP >= 0)
            {
                p = starP + 1;
                t = ++starT;
            }
            else
            {
                return false;
            }
        }
        while (p < pattern.Length && pattern[p] == '%') p++;
        return p == pattern.Length;
    }
}
