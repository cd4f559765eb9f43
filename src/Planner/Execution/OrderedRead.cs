using System.Text;
using StemeQL.Core.Model;
using StemeQL.Storage.Abstractions;

namespace StemeQL.Planner.Execution;

/// <summary>
/// Watches the rows of a read in an index order (<see cref="Plans.QueryPlan.IndexOrder"/>) for text the index may order otherwise
/// than ORDER BY. ORDER BY compares text by code point (<c>CodePointComparer</c>), which is the UTF-8 byte order SQLite's index
/// and PostgreSQL's <c>bytea</c> keys hold, except that PostgreSQL keys text over 1 KiB in UTF-8 by its first kilobyte and a
/// digest (<c>PgText.Key</c>): two such texts sharing that kilobyte come in digest order. The two orders agree on any pair
/// where the text that comes first is at most 1 KiB (its key is the whole text, so the first difference is a real one). So
/// when no row the read returned held longer text in an ORDER BY column, the rows came in ORDER BY order and every row it did
/// not reach sorts after them: the early stop lost nothing, and ties (the natural order, which both paths share) are broken
/// alike. Otherwise the plan that sorts runs instead.
/// </summary>
internal sealed class OrderedRead(IReadOnlyList<int> textOrdinals)
{
    private const int MaxPlainBytes = 1024;

    /// <summary>True once a row held text the index may order otherwise than ORDER BY (over 1 KiB in UTF-8).</summary>
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

    /// <summary>True when the text's UTF-8 form is at most 1 KiB, so every store's index orders it by its whole text.</summary>
    public static bool IsPlain(string text) => text.Length <= MaxPlainBytes / 3 || Encoding.UTF8.GetByteCount(text) <= MaxPlainBytes;
}
