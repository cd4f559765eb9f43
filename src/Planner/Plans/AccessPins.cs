using StemeQL.Planner.Binding;
using StemeQL.Planner.Syntax;

namespace StemeQL.Planner.Plans;

/// <summary>
/// The keys a WHERE pins that the store can seek on, per relation: the ledger by subject, predicate,
/// hash and agent; votes by assertion and agent; a lens view by subject and predicate, and by object
/// with a pinned predicate (the reverse lookup). Under a lens, hash and agent name the winner, not the
/// candidates the lens reads, so they are left to the filter.
/// </summary>
internal sealed record AccessPins(KeyPin? Subject, KeyPin? Predicate, KeyPin? Hash, KeyPin? Agent, KeyPin? Assertion, KeyPin? Object)
{
    /// <summary>Bounds on the row's LSN (under a lens: the winner's), which the store applies as a range.</summary>
    public LsnBounds? Lsn { get; init; }

    public static AccessPins Find(SelectStatement select, BoundSelect query)
    {
        var where = select.Where;
        bool assertions = query.Relation == Relation.Assertions;
        bool votes = query.Relation == Relation.Votes;
        bool agents = query.Relation == Relation.Agents;
        bool ledger = assertions && query.Lens is null;
        var predicate = assertions ? KeyPin.Find(where, "predicate") : null;
        return new AccessPins(
            Subject: assertions ? KeyPin.Find(where, "subject") : null,
            Predicate: predicate,
            Hash: ledger ? KeyPin.Find(where, "hash") : null,
            Agent: ledger || votes || agents ? KeyPin.Find(where, "agent") : null,
            Assertion: votes ? KeyPin.Find(where, "assertion") : null,
            Object: assertions && query.Lens is not null && predicate is not null ? KeyPin.Find(where, "object") : null)
        {
            Lsn = assertions || votes ? LsnBounds.Find(where) : null,
        };
    }

    /// <summary>Every pin there is, in the order EXPLAIN lists them.</summary>
    public IEnumerable<object> All => new object?[] { Subject, Predicate, Object, Hash, Agent, Assertion, Lsn }.OfType<object>();

    /// <summary>True when nothing is pinned.</summary>
    public bool None => Subject is null && Predicate is null && Hash is null && Agent is null && Assertion is null && Object is null;

    /// <summary>
    /// True when every conjunct of <paramref name="where"/> is one of these pins (one per column), so the
    /// seek alone applies the whole condition.
    /// </summary>
    public bool CoverWhere(Expression? where, bool includeObject, bool includeLsn = true)
    {
        var pinned = new[] { Subject, Predicate, Hash, Agent, Assertion, includeObject ? Object : null }
            .OfType<KeyPin>().Select(p => p.Conjunct)
            .Concat(includeLsn && Lsn is not null ? Lsn.Conjuncts : [])
            .ToHashSet(ReferenceEqualityComparer.Instance);
        var conjuncts = ExpressionWalker.Conjuncts(where);
        return conjuncts.All(c => pinned.Contains(c)) && conjuncts.Count == pinned.Count;
    }
}
