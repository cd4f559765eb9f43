using StemeQL.Core.Lenses;
using StemeQL.Core.Model;
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

    public IReadOnlyList<WriteOutcome> Write(IReadOnlyList<WriteOperation> operations) =>
        throw new InvalidOperationException("A pending overlay is read-only.");

    public Task<IReadOnlyList<WriteOutcome>> WriteDeferred(IReadOnlyList<WriteOperation> operations) =>
        throw new InvalidOperationException("A pending overlay is read-only.");

    public bool Contains(ContentHash hash) => _byHash.ContainsKey(hash) || _inner.Contains(hash);

    public IEnumerable<StoredAssertion> ScanAssertions(KeyFilter keys, long maxLsn = long.MaxValue) =>
        _inner.ScanAssertions(keys, maxLsn).Concat(Pending(keys, maxLsn));

    public IEnumerable<StoredVote> ScanVotes(IReadOnlyCollection<ContentHash>? assertions, long maxLsn = long.MaxValue) =>
        _inner.ScanVotes(assertions, maxLsn).Concat(_votes.Where(v => v.Lsn <= maxLsn && (assertions is null || assertions.Contains(v.Assertion))));

    public IEnumerable<StoredVote> ScanVotesOn(KeyFilter keys, long maxLsn = long.MaxValue)
    {
        if (keys.MatchesNothing) return [];
        if (!keys.PinsSubject && !keys.PinsPredicate) return ScanVotes(null, maxLsn);
        return _inner.ScanVotesOn(keys, maxLsn).Concat(PendingVotesOn(keys, maxLsn));
    }

    private IEnumerable<StoredVote> PendingVotesOn(KeyFilter keys, long maxLsn)
    {
        if (_votes.Count == 0) yield break;
        var targets = ScanAssertions(keys).Select(a => a.Assertion.Hash).ToHashSet();
        foreach (var vote in _votes)
        {
            if (vote.Lsn <= maxLsn && targets.Contains(vote.Assertion)) yield return vote;
        }
    }

    public IEnumerable<ViewRow> LookupView(string lens, KeyFilter keys) =>
        LensScan.Evaluate(this, LensNames.Available[lens], keys, long.MaxValue, CancellationToken.None);

    public long CountAssertions(KeyFilter keys) => _inner.CountAssertions(keys) + Pending(keys, long.MaxValue).Count();

    public long LastLsnAt(DateTime utc) => _inner.LastLsnAt(utc);

    public void Dispose() { }

    private IEnumerable<StoredAssertion> Pending(KeyFilter keys, long maxLsn) =>
        keys.MatchesNothing ? [] : _assertions.Where(a => a.Lsn <= maxLsn
            && (keys.Subjects is null || keys.Subjects.Contains(a.Assertion.Subject))
            && (keys.Predicates is null || keys.Predicates.Contains(a.Assertion.Predicate)));
}
