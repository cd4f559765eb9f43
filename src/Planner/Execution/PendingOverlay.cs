using StemeQL.Core.Lenses;
using StemeQL.Core.Model;
using StemeQL.Core.Text;
using StemeQL.Storage.Abstractions;

namespace StemeQL.Planner.Execution;

/// <summary>
/// The store as it will be once a command's checked but not yet applied writes are: what the
/// queries of a command that also writes read (<see cref="Session.ExecuteAtomically"/>), so they see
/// the command's earlier writes while nothing is applied until every statement has succeeded. The
/// writes get the LSNs the store will give them if no other connection writes first; lens views
/// are evaluated from the ledgers (<see cref="LensScan"/>, which the views are tested against).
/// </summary>
internal sealed class PendingOverlay : IEpistemeStore
{
    private readonly IEpistemeStore _inner;
    private readonly List<StoredAssertion> _assertions = [];
    private readonly Dictionary<ContentHash, StoredAssertion> _byHash = [];
    private readonly List<StoredVote> _votes = [];
    private readonly long _lastLsn;

    public PendingOverlay(IEpistemeStore inner, IReadOnlyList<WriteOperation> pending)
    {
        _inner = inner;
        long lsn = inner.LastLsn;
        var now = DateTime.UtcNow;
        foreach (var operation in pending)
        {
            switch (operation)
            {
                // Like the store: a re-assertion writes nothing and takes no LSN.
                case AssertOperation { Assertion: var a } when !_byHash.ContainsKey(a.Hash) && !inner.Contains(a.Hash):
                    var stored = new StoredAssertion(a, ++lsn, now);
                    _assertions.Add(stored);
                    _byHash[a.Hash] = stored;
                    break;
                case VoteOperation { Vote: var v }:
                    _votes.Add(new StoredVote(v.Assertion, v.Agent, v.Weight, ++lsn, now));
                    break;
            }
        }
        _lastLsn = lsn;
    }

    public IReadOnlyCollection<string> MaterializedLenses => _inner.MaterializedLenses;

    public long LastLsn => _lastLsn;

    public StoreStatus Status => _inner.Status;

    public void WaitForMaterialized(long lsn, CancellationToken cancellation) => _inner.WaitForMaterialized(Math.Min(lsn, _inner.LastLsn), cancellation);

    public IReadOnlyList<WriteOutcome> Write(IReadOnlyList<WriteOperation> operations, CancellationToken cancellation = default) =>
        throw new InvalidOperationException("A pending overlay is read-only.");

    public Task<IReadOnlyList<WriteOutcome>> WriteDeferred(IReadOnlyList<WriteOperation> operations, CancellationToken cancellation = default) =>
        throw new InvalidOperationException("A pending overlay is read-only.");

    public bool Contains(ContentHash hash) => _byHash.ContainsKey(hash) || _inner.Contains(hash);

    // Reads merge the store's rows with the pending ones, then apply the order and limit to the whole:
    // an overlay lives for one command, so simplicity beats speed here.
    public IEnumerable<StoredAssertion> ScanAssertions(KeyFilter keys, long maxLsn = long.MaxValue)
    {
        if (keys.MatchesNothing) return [];
        var whole = keys with { Descending = false, Limit = null, OrderBy = null };
        var rows = _inner.ScanAssertions(whole, maxLsn).Concat(_assertions.Where(a => a.Lsn <= maxLsn && Matches(a, whole)));
        if (keys.OrderBy is { } order)
        {
            // The natural order (LSN) first, then a stable sort by the keys, so ties keep it as the store's do.
            var ordered = rows.OrderBy(a => a.Lsn).OrderBy(a => a, new KeyOrderComparer<StoredAssertion>(order, a => a.Assertion.Subject, a => a.Assertion.Predicate, a => a.Lsn));
            return keys.Limit is { } most ? ordered.Take((int)Math.Min(most, int.MaxValue)) : ordered;
        }
        return Page(rows, a => a.Lsn, keys);
    }

    public IEnumerable<StoredVote> ScanVotes(IReadOnlyCollection<ContentHash>? assertions, long maxLsn = long.MaxValue) =>
        ScanVotesOn(assertions is null ? KeyFilter.All : KeyFilter.ForHashes(assertions), maxLsn);

    public IEnumerable<StoredVote> ScanVotesOn(KeyFilter keys, long maxLsn = long.MaxValue)
    {
        if (keys.MatchesNothing) return [];
        var whole = keys with { Descending = false, Limit = null };
        return Page(_inner.ScanVotesOn(whole, maxLsn).Concat(PendingVotesOn(whole, maxLsn)), v => v.Lsn, keys);
    }

    private IEnumerable<StoredVote> PendingVotesOn(KeyFilter keys, long maxLsn)
    {
        if (_votes.Count == 0) yield break;
        // Subject, predicate and object are the voted assertion's: find the targets that have them.
        bool byTarget = keys.Subjects is not null || keys.Predicates is not null || keys.Objects is not null;
        var targets = byTarget
            ? ScanAssertions(new KeyFilter(keys.Subjects, keys.Predicates) { Objects = keys.Objects }).Select(a => a.Assertion.Hash).ToHashSet()
            : null;
        foreach (var vote in _votes)
        {
            if (vote.Lsn > maxLsn || vote.Lsn < keys.MinLsn || vote.Lsn > keys.MaxLsn) continue;
            if (keys.Hashes is not null && !keys.Hashes.Contains(vote.Assertion)) continue;
            if (keys.Agents is not null && !keys.Agents.Contains(vote.Agent)) continue;
            if (targets is not null && !targets.Contains(vote.Assertion)) continue;
            yield return vote;
        }
    }

    // Subject and predicate choose the sets the lens resolves; hash, agent, object and LSN range are the winner's.
    public IEnumerable<ViewRow> LookupView(string lens, KeyFilter keys)
    {
        var sets = new KeyFilter(keys.Subjects, keys.Predicates);
        var rows = LensScan.Evaluate(this, LensNames.Available[lens], sets, long.MaxValue, CancellationToken.None)
            .Where(row => Matches(row.Winner, keys with { Subjects = null, Predicates = null }));
        // The lens scan's (subject, predicate) order is the natural one: a stable sort by the keys keeps it for ties.
        if (keys.OrderBy is { } order)
            rows = rows.OrderBy(r => r, new KeyOrderComparer<ViewRow>(order, r => r.Winner.Assertion.Subject, r => r.Winner.Assertion.Predicate, r => r.Winner.Lsn));
        else if (keys.Descending) rows = rows.Reverse();
        return keys.Limit is { } limit ? rows.Take((int)Math.Min(limit, int.MaxValue)) : rows;
    }

    public long CountAssertions(KeyFilter keys) => Count(StoreRelation.Assertions, keys);

    public long Count(StoreRelation relation, KeyFilter keys, string? lens = null) => relation switch
    {
        StoreRelation.Votes => ScanVotesOn(keys with { Limit = null }).LongCount(),
        StoreRelation.View => LookupView(lens!, keys with { Limit = null }).LongCount(),
        _ => ScanAssertions(keys with { Limit = null }).LongCount(),
    };

    public StoreStatistics Statistics => _inner.Statistics;

    public long MaterializedLsn => _inner.MaterializedLsn;

    public Task WaitForMaterializedAsync(long lsn, CancellationToken cancellation) =>
        _inner.WaitForMaterializedAsync(Math.Min(lsn, _inner.LastLsn), cancellation);

    public IntegrityReport CheckIntegrity(bool repair, IProgress<IntegrityProgress>? progress, CancellationToken cancellation) =>
        _inner.CheckIntegrity(repair, progress, cancellation);

    public long LastLsnAt(DateTime utc) => _inner.LastLsnAt(utc);

    public IObjectStore Objects => _inner.Objects;

    public IEnumerable<ObjectUse> ScanObjectUses() => _inner.ScanObjectUses();

    public void Dispose() { }

    private static bool Matches(StoredAssertion stored, KeyFilter keys)
    {
        var a = stored.Assertion;
        return stored.Lsn >= keys.MinLsn && stored.Lsn <= keys.MaxLsn
            && (keys.Subjects is null || keys.Subjects.Contains(a.Subject))
            && (keys.Predicates is null || keys.Predicates.Contains(a.Predicate))
            && (keys.Hashes is null || keys.Hashes.Contains(a.Hash))
            && (keys.Agents is null || keys.Agents.Contains(a.Agent))
            && (keys.Objects is null || keys.Objects.Contains(a.Object));
    }

    private static IEnumerable<T> Page<T>(IEnumerable<T> rows, Func<T, long> lsn, KeyFilter keys)
    {
        var ordered = keys.Descending ? rows.OrderByDescending(lsn) : rows.OrderBy(lsn);
        return keys.Limit is { } limit ? ordered.Take((int)Math.Min(limit, int.MaxValue)) : ordered;
    }

    // KeyFilter.OrderBy over records: text by code point, the UTF-8 byte order of the stores' indexes.
    private sealed class KeyOrderComparer<T>(IReadOnlyList<OrderKey> order, Func<T, string> subject, Func<T, string> predicate, Func<T, long> lsn)
        : IComparer<T>
    {
        public int Compare(T? x, T? y)
        {
            foreach (var key in order)
            {
                int c = key.Column switch
                {
                    OrderColumn.Subject => CodePointComparer.CompareStrings(subject(x!), subject(y!)),
                    OrderColumn.Predicate => CodePointComparer.CompareStrings(predicate(x!), predicate(y!)),
                    _ => lsn(x!).CompareTo(lsn(y!)),
                };
                if (c != 0) return key.Descending ? -c : c;
            }
            return 0;
        }
    }
}
