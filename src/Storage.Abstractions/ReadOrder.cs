namespace StemeQL.Storage.Abstractions;

/// <summary>A key column a read can be ordered by (<see cref="KeyFilter.OrderBy"/>).</summary>
public enum OrderColumn
{
    /// <summary>The subject (of the assertion, or of the view row's set).</summary>
    Subject,
    /// <summary>The predicate (of the assertion, or of the view row's set).</summary>
    Predicate,
    /// <summary>The LSN (of the assertion, or of the view row's winner).</summary>
    Lsn,
}

/// <summary>One key of a read's order: a column, ascending or descending.</summary>
/// <param name="Column">The column.</param>
/// <param name="Descending">True for largest first.</param>
public readonly record struct OrderKey(OrderColumn Column, bool Descending);

/// <summary>
/// An order packed into one number, so that a store's cached read shapes (which must be values) can carry it:
/// three bits per key (the column plus one, and the direction), the first key lowest. 0 is the read's natural order.
/// </summary>
public static class ReadOrder
{
    /// <summary>The most keys an order holds: each column at most once.</summary>
    public const int MaxKeys = 3;

    /// <summary>The bits <see cref="Code"/> gives at most.</summary>
    public const int Bits = 3 * MaxKeys;

    /// <summary>The code of <paramref name="keys"/>; 0 for null (the natural order).</summary>
    public static int Code(IReadOnlyList<OrderKey>? keys)
    {
        if (keys is null) return 0;
        if (keys.Count is 0 or > MaxKeys) throw new ArgumentException($"An order has 1 to {MaxKeys} keys, not {keys.Count}.", nameof(keys));
        int code = 0;
        for (int i = 0; i < keys.Count; i++)
            code |= ((int)keys[i].Column + 1 | (keys[i].Descending ? 4 : 0)) << (3 * i);
        return code;
    }

    /// <summary>The keys of a <see cref="Code"/> (none for 0).</summary>
    public static IReadOnlyList<OrderKey> Keys(int code)
    {
        var keys = new List<OrderKey>(MaxKeys);
        for (; code != 0; code >>= 3)
            keys.Add(new OrderKey((OrderColumn)((code & 3) - 1), (code & 4) != 0));
        return keys;
    }

    /// <summary>
    /// The terms of an SQL <c>ORDER BY</c> for <paramref name="keys"/> (each column as the statement names it), then the columns of
    /// the read's <paramref name="natural"/> order (comma-separated, ascending) that the keys do not name, which break ties.
    /// </summary>
    public static string SqlTerms(IReadOnlyList<OrderKey> keys, string subject, string predicate, string lsn, string natural)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(natural);
        var columns = keys.Select(k => k.Column switch { OrderColumn.Subject => subject, OrderColumn.Predicate => predicate, _ => lsn }).ToList();
        var terms = keys.Select((k, i) => k.Descending ? columns[i] + " DESC" : columns[i]).ToList();
        terms.AddRange(natural.Split(", ").Where(c => !columns.Contains(c)));
        return string.Join(", ", terms);
    }
}
