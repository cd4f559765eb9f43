using StemeQL.Linq.Tests.Support;

namespace StemeQL.Linq.Tests;

/// <summary>GroupBy with aggregates in the projection, and Distinct, against LINQ-to-Objects.</summary>
[Collection("linq")]
public sealed class GroupingDifferentialTests(Databases databases)
{
    [Theory]
    [MemberData(nameof(Databases.Seeds), MemberType = typeof(Databases))]
    public void Group_by_with_aggregates_agrees_with_linq_to_objects(int seed)
    {
        var db = databases.For(seed);
        var q = db.Reader.Assertions();
        Differential.Sequence(q, db.Ledger, q => q.GroupBy(a => a.Predicate).Select(g => new
        {
            g.Key, Count = g.Count(), Sum = g.Sum(a => a.Lsn), Avg = g.Average(a => a.Lsn), Min = g.Min(a => a.Subject), Max = g.Max(a => a.Lsn),
        }), ordered: false);
        Differential.Sequence(q, db.Ledger, q => q.GroupBy(a => new { a.Subject, a.Predicate })
            .Select(g => new { g.Key.Subject, g.Key.Predicate, N = g.LongCount() }).OrderBy(x => x.Subject).ThenBy(x => x.Predicate));
        Differential.Sequence(q, db.Ledger, q => q.GroupBy(a => a.Agent).Where(g => g.Count() > 5)
            .Select(g => new { g.Key, Integers = g.Count(a => a.ObjectType == "integer") }), ordered: false);
        Differential.Sequence(q, db.Ledger, q => q.GroupBy(a => a.Subject, (subject, g) => new { Subject = subject, Newest = g.Max(a => a.Lsn) }), ordered: false);
        Differential.Sequence(q, db.Ledger, q => q.GroupBy(a => a.Agent, a => a.Lsn).Select(g => new { g.Key, Total = g.Sum() }), ordered: false);
        Differential.Sequence(q, db.Ledger, q => q.Where(a => a.Lsn > 3).GroupBy(a => a.Subject).Select(g => new { g.Key, N = g.Count() })
            .OrderByDescending(x => x.N).ThenBy(x => x.Key).Take(3));
        Differential.Sequence(q, db.Ledger, q => q.Where(a => a.ObjectType == "integer").GroupBy(a => a.Lsn % 3)
            .Select(g => new { Bucket = g.Key, Total = g.Sum(a => a.ObjectAs<long>()) }).OrderBy(x => x.Bucket));
        Differential.Sequence(q, db.Ledger, q => q.GroupBy(a => a.Agent).Select(g => new
        {
            g.Key, Subjects = g.Select(a => a.Subject).Distinct().Count(), Values = g.Select(a => a.ObjectType).Count(),
            DistinctLsnSum = g.Select(a => a.Lsn % 5).Distinct().Sum(), MaxLen = g.Select(a => a.Epoch.Length).Max(),
        }), ordered: false);
        // Constant keys: one group over everything; a sort that changes nothing.
        Differential.Sequence(q, db.Ledger, q => q.GroupBy(a => 1).Select(g => new { N = g.Count(), Total = g.Sum(a => a.Lsn) }));
        Differential.Sequence(q, db.Ledger, q => q.Select(a => new { a.Lsn, One = 1 }).OrderBy(x => x.One).ThenByDescending(x => x.Lsn));
        Differential.Sequence(db.Reader.Assertions().UsingLens(Lens.Consensus), db.Consensus,
            q => q.GroupBy(a => a.Predicate).Select(g => new { g.Key, Confidence = g.Average(a => a.Confidence), Support = g.Sum(a => a.Support) }), ordered: false);
        Differential.Sequence(db.Reader.Votes(), db.VoteRows,
            q => q.GroupBy(v => v.Agent).Select(g => new { g.Key, Avg = g.Average(v => v.Weight), N = g.Count() }), ordered: false);
    }

    [Theory]
    [MemberData(nameof(Databases.Seeds), MemberType = typeof(Databases))]
    public void Distinct_agrees_with_linq_to_objects(int seed)
    {
        var db = databases.For(seed);
        var q = db.Reader.Assertions();
        Differential.Sequence(q, db.Ledger, q => q.Select(a => a.Predicate).Distinct());
        Differential.Sequence(q, db.Ledger, q => q.Select(a => new { a.Agent, a.Epoch }).Distinct());
        Differential.Sequence(q, db.Ledger, q => q.Select(a => a.Subject).Distinct().OrderByDescending(s => s));
        Differential.Sequence(q, db.Ledger, q => q.Where(a => a.Lsn > 10).Select(a => a.Agent).Distinct().Take(2));
        Differential.Sequence(db.Reader.Votes(), db.VoteRows, q => q.Select(v => v.Agent).Distinct(), ordered: false);
    }
}
