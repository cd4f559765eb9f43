using StemeQL.Core.Model;

namespace StemeQL.Storage.Abstractions;

/// <summary>
/// The access keys a read pins, and the order and size it wants. Every set is null for "any"; an
/// empty set matches nothing; pinned keys combine with AND. What a key means depends on the read:
/// <list type="bullet">
/// <item><description>assertions: the assertion's hash, subject, predicate, agent, object and LSN;</description></item>
/// <item><description>votes: <see cref="Hashes"/> are the voted assertions, <see cref="Agents"/> the voters and the LSN range the vote's;
/// subject, predicate and object are those of the voted assertion;</description></item>
/// <item><description>a lens view: subject and predicate are the set's; hash, agent, object and LSN are the winner's
/// (so predicate + object answers "which subjects have capital_of = 'france' under this lens?").</description></item>
/// </list>
/// </summary>
/// <param name="Subjects">The subjects to match, or null for any.</param>
/// <param name="Predicates">The predicates to match, or null for any.</param>
public sealed record KeyFilter(IReadOnlyCollection<string>? Subjects, IReadOnlyCollection<string>? Predicates)
{
    /// <summary>Matches every assertion.</summary>
    public static readonly KeyFilter All = new(null, null);

    /// <summary>Assertion hashes (parsed, so any spelling of the hex has been accepted already), or null for any.</summary>
    public IReadOnlyCollection<ContentHash>? Hashes { get; init; }

    /// <summary>Agents (who asserted, or who voted), or null for any.</summary>
    public IReadOnlyCollection<string>? Agents { get; init; }

    /// <summary>Typed object values, or null for any. A value no object can hold (NULL, a timestamp) matches nothing.</summary>
    public IReadOnlyCollection<StemeValue>? Objects { get; init; }

    /// <summary>The smallest LSN to return (inclusive); <see cref="Lsn.None"/> for no lower bound.</summary>
    public long MinLsn { get; init; } = Lsn.None;

    /// <summary>The largest LSN to return (inclusive); <see cref="long.MaxValue"/> for no upper bound.</summary>
    public long MaxLsn { get; init; } = long.MaxValue;

    /// <summary>Return the rows in the read's order reversed (newest LSN first; views: last subject first). Ignored when <see cref="OrderBy"/> is set.</summary>
    public bool Descending { get; init; }

    /// <summary>
    /// Return the rows ordered by these keys (of the ledger of assertions or a view; a read of votes refuses it), ties in the
    /// read's natural order, ascending: the ledger's by LSN, a view's by subject then predicate. Null for the natural order
    /// alone (see <see cref="Descending"/>). Text is ordered by its UTF-8 bytes (code-point order), as the stores' indexes
    /// hold it; a PostgreSQL store orders text longer than 1 KiB in UTF-8 by its first kilobyte and then a digest. Where an
    /// index holds the order (the ledger's on (subject, predicate), a view's key, a view's sets by predicate) the read walks it
    /// and a <see cref="Limit"/> stops it early; otherwise the store sorts the matching rows itself.
    /// </summary>
    public IReadOnlyList<OrderKey>? OrderBy { get; init; }

    /// <summary>Stop after this many rows (the first ones in the read's order, or in <see cref="OrderBy"/>), or null for all. Counts ignore it.</summary>
    public long? Limit { get; init; }

    /// <summary>
    /// The parts of each assertion (a ledger row, or a view's winner) the caller reads; the store may leave
    /// the others empty. Reads of votes ignore it. <see cref="AssertionFields.All"/> unless told otherwise.
    /// </summary>
    public AssertionFields Fields { get; init; } = AssertionFields.All;

    /// <summary>Only the assertions (or votes on the assertions) with these hashes.</summary>
    public static KeyFilter ForHashes(IReadOnlyCollection<ContentHash> hashes) => All with { Hashes = hashes };

    /// <summary>Only the rows written by these agents.</summary>
    public static KeyFilter ForAgents(IReadOnlyCollection<string> agents) => All with { Agents = agents };

    /// <summary>True when this filter pins at least one subject set.</summary>
    public bool PinsSubject => Subjects is not null;

    /// <summary>True when this filter pins predicates.</summary>
    public bool PinsPredicate => Predicates is not null;

    /// <summary>True when no key, LSN bound or limit narrows the read.</summary>
    public bool IsUnfiltered => Subjects is null && Predicates is null && Hashes is null && Agents is null && Objects is null
        && MinLsn <= Lsn.None && MaxLsn == long.MaxValue;

    /// <summary>True when the keys can match nothing (an empty set, or an empty LSN range). A zero <see cref="Limit"/> is not counted here.</summary>
    public bool MatchesNothing => Subjects is { Count: 0 } || Predicates is { Count: 0 } || Hashes is { Count: 0 }
        || Agents is { Count: 0 } || Objects is { Count: 0 } || MinLsn > MaxLsn;
}
