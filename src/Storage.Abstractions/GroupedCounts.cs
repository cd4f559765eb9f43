namespace StemeQL.Storage.Abstractions;

/// <summary>A text column that rows can be counted by (<see cref="IEpistemeStore.CountBy"/>).</summary>
public enum GroupColumn
{
    /// <summary>The assertion's subject (for a view row, the set's subject).</summary>
    Subject,

    /// <summary>The assertion's predicate (for a view row, the set's predicate).</summary>
    Predicate,

    /// <summary>The agent who wrote the assertion or cast the vote (for a view row, the winner's agent).</summary>
    Agent,
}

/// <summary>How many rows share one value of the grouping column.</summary>
public readonly record struct GroupCount(string Key, long Count);

/// <summary>
/// The reference meaning of <see cref="IEpistemeStore.CountBy"/>: read the matching rows and count them
/// per key. A store with an index on the column answers it without reading the rows instead.
/// </summary>
public static class GroupedCounts
{
    /// <summary>Counts the rows of <paramref name="relation"/> matching <paramref name="keys"/> by <paramref name="column"/>, by reading them.</summary>
    public static IReadOnlyList<GroupCount> ByScanning(IEpistemeStore store, StoreRelation relation, KeyFilter keys, GroupColumn column, string? lens)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(keys);
        keys = keys with { Limit = null, Descending = false };
        var values = relation switch
        {
            StoreRelation.Votes when column == GroupColumn.Agent => store.ScanVotesOn(keys).Select(v => v.Agent),
            StoreRelation.Votes => throw new ArgumentOutOfRangeException(nameof(column), column, "Votes are counted by agent only."),
            StoreRelation.View => store.LookupView(lens ?? throw new ArgumentNullException(nameof(lens), "A view count needs the lens."), keys)
                .Select(r => Key(r.Winner, column)),
            _ => store.ScanAssertions(keys).Select(a => Key(a, column)),
        };
        return [.. values.GroupBy(v => v, StringComparer.Ordinal).Select(g => new GroupCount(g.Key, g.LongCount()))];
    }

    private static string Key(StoredAssertion row, GroupColumn column) => column switch
    {
        GroupColumn.Subject => row.Assertion.Subject,
        GroupColumn.Predicate => row.Assertion.Predicate,
        _ => row.Assertion.Agent,
    };
}
