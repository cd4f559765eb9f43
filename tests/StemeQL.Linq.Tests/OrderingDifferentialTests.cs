using StemeQL.Linq.Tests.Support;

namespace StemeQL.Linq.Tests;

/// <summary>OrderBy / ThenBy (descending too), Skip and Take, against LINQ-to-Objects.</summary>
[Collection("linq")]
public sealed class OrderingDifferentialTests(Databases databases)
{
    [Theory]
    [MemberData(nameof(Databases.Seeds), MemberType = typeof(Databases))]
    public void Ordering_agrees_with_linq_to_objects(int seed)
    {
        var db = databases.For(seed);
        var q = db.Reader.Assertions();
        Differential.Sequence(q, db.Ledger, q => q.OrderBy(a => a.Subject).ThenByDescending(a => a.Lsn));
        Differential.Sequence(q, db.Ledger, q => q.OrderByDescending(a => a.Agent).ThenBy(a => a.Predicate).ThenBy(a => a.Lsn));
        // A second OrderBy sorts again; the first stays as the tie-breaker (LINQ's sort is stable).
        Differential.Sequence(q, db.Ledger, q => q.OrderBy(a => a.Agent).OrderBy(a => a.Predicate));
        Differential.Sequence(q, db.Ledger, q => q.Where(a => a.ObjectType == "integer").OrderBy(a => a.ObjectAs<long>()).ThenBy(a => a.Lsn).Select(a => a.Lsn));
        Differential.Sequence(db.Reader.Assertions().UsingLens(Lens.Consensus), db.Consensus,
            q => q.OrderByDescending(a => a.Confidence).ThenBy(a => a.Support).Select(a => new { a.Subject, a.Predicate, a.Confidence }));
        Differential.Sequence(db.Reader.Votes(), db.VoteRows, q => q.OrderBy(v => v.Weight).ThenByDescending(v => v.Lsn));
    }

    [Theory]
    [MemberData(nameof(Databases.Seeds), MemberType = typeof(Databases))]
    public void Skip_and_take_agree_with_linq_to_objects(int seed)
    {
        var db = databases.For(seed);
        var q = db.Reader.Assertions();
        int page = 2, size = 7;
        Differential.Sequence(q, db.Ledger, q => q.OrderBy(a => a.Subject).ThenBy(a => a.Lsn).Skip(5).Take(10));
        Differential.Sequence(q, db.Ledger, q => q.OrderByDescending(a => a.Lsn).Skip(page * size).Take(size));
        Differential.Sequence(q, db.Ledger, q => q.Take(20).Skip(3));
        Differential.Sequence(q, db.Ledger, q => q.Skip(7).Take(30).Take(5));
        Differential.Sequence(q, db.Ledger, q => q.Skip(11).Select(a => a.Hash));
        Differential.Sequence(q, db.Ledger, q => q.Where(a => a.Predicate != "p2").Take(12).Select(a => new { a.Subject, a.Lsn }));
    }
}
