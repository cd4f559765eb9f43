using StemeQL.Core.Model;

namespace StemeQL.Core.Lenses;

/// <summary>A backend's identity of one distinct value of a candidate set (typed object as the backend stores it).</summary>
public interface IValueKey
{
    /// <summary>The set the value belongs to.</summary>
    SetKey Set { get; }
}

/// <summary>An agent's newest vote on an assertion in a batch, as the fold hands it to <see cref="ISupportStore{TValue}.ReplaceVotes"/>.</summary>
/// <param name="Assertion">The assertion voted on.</param>
/// <param name="Agent">The voting agent.</param>
/// <param name="Units">The vote's weight in integer units.</param>
/// <param name="Lsn">The vote's LSN.</param>
public readonly record struct CurrentVote(ContentHash Assertion, string Agent, long Units, long Lsn);

/// <summary>
/// The port through which a backend stores what every lens's view shares: each agent's current vote
/// on an assertion, each value's support and first assertion, and each set's total, distinct values
/// and assertion count. Plain keyed reads and writes: the rules are in <see cref="ViewFold{TValue}"/>.
/// </summary>
/// <typeparam name="TValue">The backend's value key.</typeparam>
public interface ISupportStore<TValue> : ISetValues where TValue : struct, IValueKey
{
    /// <summary>The value a stored assertion states, or null when the backend does not hold the assertion.</summary>
    TValue? ValueOf(ContentHash assertion);

    /// <summary>Records <paramref name="agent"/>'s vote as its current one on the assertion; returns the units of the vote it replaces (0 for none).</summary>
    long ReplaceVote(ContentHash assertion, string agent, long units, long lsn);

    /// <summary>
    /// Records each of <paramref name="votes"/> (distinct (assertion, agent) pairs) as its agent's current vote, and
    /// writes the units of the vote each replaces (0 for none) into <paramref name="previous"/>, in order. A backend
    /// may do this in a few large statements; by default it is one <see cref="ReplaceVote"/> each.
    /// </summary>
    void ReplaceVotes(IReadOnlyList<CurrentVote> votes, Span<long> previous)
    {
        for (int i = 0; i < votes.Count; i++) previous[i] = ReplaceVote(votes[i].Assertion, votes[i].Agent, votes[i].Units, votes[i].Lsn);
    }

    /// <summary>
    /// Adds <paramref name="delta"/> to the value's support; a value not stored yet is created with
    /// <paramref name="firstLsn"/> as its first assertion. Returns how the value moved.
    /// </summary>
    ValueChange AddToValue(TValue value, long delta, long firstLsn);

    /// <summary>
    /// Adds to the set's total support, distinct values and assertion count (creating the set); returns
    /// true when this created it, so no lens can hold a state for it yet and the fold need not read one.
    /// </summary>
    bool AddToSet(SetKey set, long totalDelta, int newValues, int newAssertions);
}
