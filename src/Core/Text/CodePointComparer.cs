using System.Text;

namespace StemeQL.Core.Text;

/// <summary>
/// Orders strings by Unicode code point, which is the order of their UTF-8 bytes and so SQLite's
/// BINARY collation. <see cref="string.CompareOrdinal(string, string)"/> compares UTF-16 units
/// instead and disagrees for characters beyond U+FFFF; every layer that orders text uses this.
/// </summary>
public sealed class CodePointComparer : IComparer<string>
{
    /// <summary>The shared instance.</summary>
    public static readonly CodePointComparer Instance = new();

    private CodePointComparer() { }

    /// <inheritdoc />
    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y)) return 0;
        if (x is null) return -1;
        if (y is null) return 1;
        var a = x.EnumerateRunes();
        var b = y.EnumerateRunes();
        while (true)
        {
            bool moreA = a.MoveNext(), moreB = b.MoveNext();
            if (!moreA || !moreB) return moreA.CompareTo(moreB);
            int c = a.Current.Value.CompareTo(b.Current.Value);
            if (c != 0) return c;
        }
    }

    /// <summary>Compares two strings by code point.</summary>
    public static int CompareStrings(string x, string y) => Instance.Compare(x, y);
}
