using StemeQL.Core.Lenses;

namespace StemeQL.Storage.Embedded;

/// <summary>
/// The order of the view tables' text keys, close enough to SQLite's (BINARY: UTF-8 bytes; ordinal UTF-16 differs only
/// between surrogates and U+E000–U+FFFF): a batch's rows written or read in it visit each B-tree in order. Only the
/// speed depends on it, never a result.
/// </summary>
internal static class KeyOrder
{
    /// <summary>Orders values as <c>mv_value</c>'s primary key (subject, predicate, object type; the object itself is not compared).</summary>
    public static int Compare(ValueKey a, ValueKey b)
    {
        int order = Compare(a.Set, b.Set);
        return order != 0 ? order : a.ObjectType.CompareTo(b.ObjectType);
    }

    /// <summary>Orders sets as <c>mv_set</c>'s primary key (subject, predicate).</summary>
    public static int Compare(SetKey a, SetKey b)
    {
        int order = string.CompareOrdinal(a.Subject, b.Subject);
        return order != 0 ? order : string.CompareOrdinal(a.Predicate, b.Predicate);
    }
}
