using System.Text;
using StemeQL.Core.Model;
using StemeQL.Storage.Abstractions;

namespace StemeQL.Planner.Execution;

/// <summary>
/// Watches the rows of a read in an index order (<see cref="Plans.QueryPlan.IndexOrder"/>) for text the index orders otherwise
/// than ORDER BY. ORDER BY compares text by UTF-16 code unit; the stores' indexes by UTF-8 byte (code point), and PostgreSQL's
/// orders text over 1 KiB in UTF-8 by its first kilobyte and a digest. The two orders agree on any pair of texts where the one
/// that sorts first is plain: every code unit below U+D800 and at most 1 KiB in UTF-8 (at their first difference the plain
/// text's unit is below any surrogate or unit from U+E000). So when every row the read returned is plain in its ORDER BY
/// text, they came in ORDER BY order and every row it did not reach sorts after them: the early stop lost nothing, and ties
/// (the natural order, which both paths share) are broken alike. Otherwise the plan that sorts runs instead.
/// </summary>
internal sealed class OrderedRead(IReadOnlyList<int> textOrdinals)
{
    private const int MaxPlainBytes = 1024;

    /// <summary>True once a row held text the index may order otherwise than ORDER BY.</summary>
    public bool Untrusted { get; private set; }

    /// <summary>The ordinals of the input row's ORDER BY columns holding text (subject, predicate) in <paramref name="order"/>.</summary>
    public static int[] TextOrdinals(IReadOnlyList<OrderKey> order, int subject, int predicate) =>
        [.. order.Where(k => k.Column != OrderColumn.Lsn).Select(k => k.Column == OrderColumn.Subject ? subject : predicate)];

    /// <summary>The rows, unchanged, each checked as it passes.</summary>
    public IEnumerable<StemeValue[]> Watch(IEnumerable<StemeValue[]> rows)
    {
        foreach (var row in rows)
        {
            if (!Untrusted)
            {
                foreach (int ordinal in textOrdinals)
                {
                    if (row[ordinal] is { Kind: ValueKind.Text } value && !IsPlain(value.AsText)) Untrusted = true;
                }
            }
            yield return row;
        }
    }

    /// <summary>True when every code unit is below U+D800 and the UTF-8 form is at most 1 KiB.</summary>
    public static bool IsPlain(string text) =>
        text.AsSpan().IndexOfAnyInRange('\uD800', '\uFFFF') < 0
        && (text.Length <= MaxPlainBytes / 3 || Encoding.UTF8.GetByteCount(text) <= MaxPlainBytes);
}
