using System.Buffers;

namespace StemeQL.Planner.Binding;

/// <summary>
/// SQL LIKE matching: <c>%</c> matches any run of characters, <c>_</c> exactly one; case-sensitive.
/// </summary>
/// <remarks>
/// Bounded time, whatever the inputs: the pattern is cut at <c>%</c> into segments; the first must
/// match at the start of the text, the last at its end, and each one between at its leftmost place
/// after the previous one (leftmost is exact for <c>%</c>: a match further left never leaves less
/// room for what follows). A segment without <c>_</c> is found with Knuth–Morris–Pratt, linear in
/// the text and segment. A segment with <c>_</c> is tried at each place, which costs text × segment
/// in the worst case; those comparisons are counted, and past <see cref="MaxComparisons"/> the match
/// fails with <see cref="StemeErrorCode.NotSupported"/> instead of running for minutes.
/// </remarks>
internal static class LikePattern
{
    /// <summary>The most character comparisons one match may spend searching for segments with <c>_</c>.</summary>
    public const long MaxComparisons = 100_000_000;

    // Below this length a segment's worst case with IndexOf (text × segment) is linear enough, and
    // the vectorised search beats building a KMP table for every row.
    private const int ShortSegment = 8;

    /// <summary>True when <paramref name="text"/> matches <paramref name="pattern"/>.</summary>
    public static bool Matches(ReadOnlySpan<char> text, ReadOnlySpan<char> pattern)
    {
        int firstPercent = pattern.IndexOf('%');
        if (firstPercent < 0) return text.Length == pattern.Length && MatchesAt(text, pattern);
        int lastPercent = pattern.LastIndexOf('%');
        var head = pattern[..firstPercent];
        var tail = pattern[(lastPercent + 1)..];
        if (text.Length < head.Length + tail.Length) return false;
        if (!MatchesAt(text, head) || !MatchesAt(text[(text.Length - tail.Length)..], tail)) return false;

        var rest = text[head.Length..(text.Length - tail.Length)];
        var middle = pattern[firstPercent..(lastPercent + 1)];
        long budget = MaxComparisons;
        while (middle.Length > 0)
        {
            if (middle[0] == '%')
            {
                middle = middle[1..];
                continue;
            }
            int length = middle.IndexOf('%');   // the middle ends with '%', so there is one
            var segment = middle[..length];
            int found = Find(rest, segment, ref budget, pattern.Length);
            if (found < 0) return false;
            rest = rest[(found + length)..];
            middle = middle[length..];
        }
        return true;
    }

    /// <summary>True when <paramref name="segment"/> (no <c>%</c>) matches the start of <paramref name="text"/>.</summary>
    private static bool MatchesAt(ReadOnlySpan<char> text, ReadOnlySpan<char> segment)
    {
        for (int i = 0; i < segment.Length; i++)
        {
            if (segment[i] != '_' && segment[i] != text[i]) return false;
        }
        return true;
    }

    private static int Find(ReadOnlySpan<char> text, ReadOnlySpan<char> segment, ref long budget, int patternLength)
    {
        if (segment.Length > text.Length) return -1;
        if (!segment.Contains('_'))
            return segment.Length <= ShortSegment ? text.IndexOf(segment, StringComparison.Ordinal) : KnuthMorrisPratt(text, segment);
        for (int start = 0; start + segment.Length <= text.Length; start++)
        {
            int i = 0;
            while (i < segment.Length && (segment[i] == '_' || segment[i] == text[start + i])) i++;
            budget -= i + 1;
            if (budget < 0)
            {
                throw new StemeException(StemeErrorCode.NotSupported,
                    $"This LIKE pattern ({patternLength} characters) needs more than {MaxComparisons:N0} comparisons for a value of {text.Length:N0} characters: "
                    + "use fewer or shorter runs of '_' between '%', or compare a shorter value.");
            }
            if (i == segment.Length) return start;
        }
        return -1;
    }

    private static int KnuthMorrisPratt(ReadOnlySpan<char> text, ReadOnlySpan<char> segment)
    {
        int[] rented = ArrayPool<int>.Shared.Rent(segment.Length);
        try
        {
            var fallback = rented.AsSpan(0, segment.Length);
            fallback[0] = 0;
            for (int i = 1, k = 0; i < segment.Length; i++)
            {
                while (k > 0 && segment[i] != segment[k]) k = fallback[k - 1];
                if (segment[i] == segment[k]) k++;
                fallback[i] = k;
            }
            for (int t = 0, k = 0; t < text.Length; t++)
            {
                while (k > 0 && text[t] != segment[k]) k = fallback[k - 1];
                if (text[t] == segment[k]) k++;
                if (k == segment.Length) return t - segment.Length + 1;
            }
            return -1;
        }
        finally
        {
            ArrayPool<int>.Shared.Return(rented);
        }
    }
}
