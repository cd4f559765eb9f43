namespace StemeQL.Core.Lenses;

/// <summary>
/// How a lens keeps its materialized view up to date: from its stored state for one candidate set and
/// what a batch of events changed in that set, the new state. The support of each value, the set's
/// total and its distinct values are folded once for every lens (<see cref="ViewFold{TValue}"/>); a
/// fold only decides the winner and whatever it keeps to decide it cheaply next time.
/// </summary>
public interface ILensFold
{
    /// <summary>
    /// False when <paramref name="change"/> cannot move this lens's state, so the materializer need not
    /// read it (recency ignores votes).
    /// </summary>
    bool Affects(SetChange change);

    /// <summary>
    /// The state after <paramref name="change"/>, or null when it is unchanged. <paramref name="before"/>
    /// is null for a set the batch created; then <paramref name="change"/> holds all of it.
    /// <paramref name="values"/> reads the whole set, for the rare change an increment cannot decide.
    /// </summary>
    LensState? Apply(LensState? before, SetChange change, ISetValues values);
}
