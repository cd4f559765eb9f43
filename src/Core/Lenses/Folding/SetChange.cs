namespace StemeQL.Core.Lenses;

/// <summary>A candidate set's key.</summary>
public readonly record struct SetKey(string Subject, string Predicate);

/// <summary>The support of one distinct value of a set, and the LSN of its first assertion (which names it within the set).</summary>
public readonly record struct ValueTally(long FirstLsn, long SupportUnits);

/// <summary>How one value's support moved in a batch; <see cref="Before"/> is 0 for a value the batch created.</summary>
public readonly record struct ValueChange(long FirstLsn, long Before, long After, bool IsNew)
{
    /// <summary>The value after the batch.</summary>
    public ValueTally Tally => new(FirstLsn, After);
}

/// <summary>
/// What one batch of events changed in one candidate set: the values whose support moved or that
/// appeared, and the LSNs of the first and last assertion the batch added (0 when it added none).
/// </summary>
public sealed record SetChange(SetKey Set, IReadOnlyList<ValueChange> Values, long FirstNewLsn, long LastNewLsn)
{
    /// <summary>True when the batch added assertions to the set.</summary>
    public bool HasNewAssertions => LastNewLsn != 0;
}
