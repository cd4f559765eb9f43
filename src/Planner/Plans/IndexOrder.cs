using StemeQL.Core.Model;
using StemeQL.Planner.Binding;
using StemeQL.Planner.Binding.Bound;
using StemeQL.Planner.Syntax;
using StemeQL.Storage.Abstractions;

namespace StemeQL.Planner.Plans;

/// <summary>
/// An ORDER BY that an index holds, so the store can return the rows in it (<see cref="KeyFilter.OrderBy"/>) and a LIMIT
/// stops the read early instead of sorting every row. The ledger's index on (subject, predicate) holds the LSN after them
/// (SQLite's rowid, PostgreSQL's third column); a view is keyed by (subject, predicate), and its sets are indexed by
/// (predicate, subject). A key pinned to one value orders nothing, so <c>predicate = x ORDER BY subject</c> and
/// <c>subject = x ORDER BY predicate</c> are index orders too. Ties are broken as a stable sort of the rows in their natural
/// order breaks them: by LSN on the ledger, by (subject, predicate) in a view, which is how the store breaks them.
/// </summary>
/// <param name="Keys">The store's order, one key per ORDER BY key.</param>
/// <param name="Index">The index that holds it, for EXPLAIN.</param>
internal sealed record IndexOrder(IReadOnlyList<OrderKey> Keys, string Index)
{
    // The LIMIT assumed for a plan whose LIMIT is a parameter (bound only at execution): a page.
    private const double AssumedLimit = 100;

    // The share of rows a WHERE condition the seek does not apply is assumed to keep.
    private const double ResidualSelectivity = 1.0 / 3;

    /// <summary>
    /// The index order of <paramref name="query"/>, or null when its ORDER BY is not one (or there is nothing to stop early:
    /// no LIMIT, grouping, DISTINCT). <paramref name="view"/> for a materialized view's rows, else the ledger's.
    /// </summary>
    public static IndexOrder? For(BoundSelect query, AccessPins pins, bool view)
    {
        if (query.Order.Count is 0 or > ReadOrder.MaxKeys || query.Limit is null || query.Grouping is not null || query.Distinct
            || query.Having is not null || query.Relation != Relation.Assertions) return null;
        var keys = new List<OrderKey>(query.Order.Count);
        foreach (var sort in query.Order)
        {
            if (sort.Key is not ColumnScalar column) return null;
            OrderColumn? key = query.Relation.Columns[column.Ordinal].Name switch
            {
                "subject" => OrderColumn.Subject,
                "predicate" => OrderColumn.Predicate,
                // A view row's LSN is its winner's, which no index orders.
                "lsn" when !view => OrderColumn.Lsn,
                _ => null,
            };
            if (key is not { } k || keys.Any(o => o.Column == k)) return null;
            keys.Add(new OrderKey(k, sort.Descending));
        }
        // The index columns in order; those pinned to one value order nothing. The first ORDER BY key that is not so pinned
        // must be the first such index column: the index then walks in that order.
        OrderColumn[] index = view ? [OrderColumn.Subject, OrderColumn.Predicate] : [OrderColumn.Subject, OrderColumn.Predicate, OrderColumn.Lsn];
        bool One(OrderColumn c) => c switch
        {
            OrderColumn.Subject => pins.Subject is { Values.Count: 1 },
            OrderColumn.Predicate => pins.Predicate is { Values.Count: 1 },
            _ => false,
        };
        var leading = keys.Where(k => !One(k.Column)).Select(k => (OrderColumn?)k.Column).FirstOrDefault();
        if (leading is { } first && index.Where(c => !One(c)).Select(c => (OrderColumn?)c).FirstOrDefault() != first) return null;
        string name = view
            ? (pins.Predicate is { Values.Count: 1 } && pins.Subject is null ? "the view's sets by (predicate, subject)" : "the view's key (subject, predicate)")
            : "the ledger's index on (subject, predicate)";
        return new IndexOrder(keys, name);
    }

    /// <summary>What EXPLAIN says of the order, e.g. <c>subject DESC, lsn</c>.</summary>
    public string Text => string.Join(", ", Keys.Select(k => k.Column.ToString().ToLowerInvariant() + (k.Descending ? " DESC" : "")));

    /// <summary>
    /// The rows the ordered read is expected to stop after (the first OFFSET + LIMIT that pass the filter), and its cost:
    /// the index entries walked to find them, when a fraction <c>matching / range</c> of those the walk visits match
    /// (<paramref name="range"/> rows are in the walked range, <paramref name="matching"/> match the pins), plus a lookup of each row read.
    /// </summary>
    public static (double Rows, double Cost) Estimate(BoundSelect query, double matching, double range, bool seekAppliesFilter)
    {
        double wanted = Count(query.Offset, 0) + Count(query.Limit, AssumedLimit);
        if (!seekAppliesFilter) wanted /= ResidualSelectivity;
        double rows = Math.Max(1, Math.Min(matching, wanted));
        double walked = Math.Min(range, wanted * Math.Max(1, range / Math.Max(1, matching)));
        return (rows, walked + rows);
    }

    /// <summary>The cost of sorting <paramref name="rows"/> rows for <paramref name="query"/> (a top-k heap under its LIMIT), to weigh against an index order.</summary>
    public static double SortCost(BoundSelect query, double rows)
    {
        double kept = Count(query.Offset, 0) + Count(query.Limit, AssumedLimit);
        return rows * Math.Max(1, Math.Log2(Math.Max(2, Math.Min(rows, kept + 1))));
    }

    // A LIMIT or OFFSET written as a literal; a parameter's value is not known when planning.
    private static double Count(Expression? expression, double unknown) =>
        expression is LiteralExpression { Value: { Kind: ValueKind.Integer } value } ? Math.Max(0, value.AsInteger) : expression is null ? 0 : unknown;
}
