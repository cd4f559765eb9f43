namespace StemeQL.Storage.Abstractions;

/// <summary>What a count or a read is over.</summary>
public enum StoreRelation
{
    /// <summary>The ledger of assertions.</summary>
    Assertions,

    /// <summary>The ledger of votes (replaced ones too).</summary>
    Votes,

    /// <summary>The rows of a materialized lens view: one per (subject, predicate) set.</summary>
    View,
}

/// <summary>
/// Sizes of the store for the planner's cost estimates. Reading them is cheap (they are cached and
/// kept up to date as the ledger grows); the ledger counts are exact as of <see cref="IngestedLsn"/>,
/// the distinct counts as of <see cref="DistinctAsOfLsn"/>.
/// </summary>
/// <param name="Assertions">Assertions in the ledger (exact).</param>
/// <param name="Votes">Votes in the ledger, replaced ones too (exact).</param>
/// <param name="IngestedLsn">The newest LSN the ledger counts include.</param>
/// <param name="Sets">Distinct (subject, predicate) sets, which is also the row count of every materialized view.</param>
/// <param name="DistinctSubjects">Distinct subjects.</param>
/// <param name="DistinctPredicates">Distinct predicates.</param>
/// <param name="DistinctAgents">Distinct asserting agents.</param>
/// <param name="DistinctAsOfLsn">
/// The LSN at which the distinct counts and <see cref="Sets"/> were last computed; <see cref="Core.Model.Lsn.None"/> while
/// they are still being computed for the first time, when they are rough guesses from the ledger counts.
/// </param>
/// <param name="ViewRows">Rows per materialized lens view (lowercase lens name).</param>
public sealed record StoreStatistics(
    long Assertions,
    long Votes,
    long IngestedLsn,
    long Sets,
    long DistinctSubjects,
    long DistinctPredicates,
    long DistinctAgents,
    long DistinctAsOfLsn,
    IReadOnlyDictionary<string, long> ViewRows);
