using StemeQL.Linq.Tests.Support;

namespace StemeQL.Linq.Tests;

/// <summary>First, Single, Any, All, Count, LongCount, Sum, Average, Min and Max, against LINQ-to-Objects (exceptions included).</summary>
[Collection("linq")]
public sealed class TerminalDifferentialTests(Databases databases)
{
    [Theory]
    [MemberData(nameof(Databases.Seeds), MemberType = typeof(Databases))]
    public void First_and_single_agree_with_linq_to_objects(int seed)
    {
        var db = databases.For(seed);
        var q = db.Reader.Assertions();
        string hash = db.Ledger[^1].Hash;
        Differential.Scalar(q, db.Ledger, q => q.OrderByDescending(a => a.Subject).First());
        Differential.Scalar(q, db.Ledger, q => q.First(a => a.Predicate == "p2"));
        Differential.Scalar(q, db.Ledger, q => q.FirstOrDefault(a => a.Agent == "carol"));
        Differential.Scalar(q, db.Ledger, q => q.Single(a => a.Hash == hash));
        Differential.Scalar(q, db.Ledger, q => q.Where(a => a.Hash == hash).Select(a => new { a.Subject, a.Lsn }).SingleOrDefault());
        Differential.Scalar(q, db.Ledger, q => q.Select(a => a.Lsn).Skip(3).First());
        // Nothing and too much: the same results and the same exceptions as LINQ.
        Differential.Scalar(q, db.Ledger, q => q.FirstOrDefault(a => a.Subject == "nobody"), allowEmpty: true);
        Differential.Scalar(q, db.Ledger, q => q.SingleOrDefault(a => a.Subject == "nobody"), allowEmpty: true);
        Differential.Scalar(q, db.Ledger, q => q.Where(a => a.Subject == "nobody").Select(a => a.Lsn).FirstOrDefault(), allowEmpty: true);
        Differential.Scalar(q, db.Ledger, q => q.Where(a => a.Subject == "nobody").First());
        Differential.Scalar(q, db.Ledger, q => q.Single());
        Differential.Scalar(q, db.Ledger, q => q.Where(a => a.Subject == "nobody").Single());
    }

    [Theory]
    [MemberData(nameof(Databases.Seeds), MemberType = typeof(Databases))]
    public void Any_all_and_count_agree_with_linq_to_objects(int seed)
    {
        var db = databases.For(seed);
        var q = db.Reader.Assertions();
        long lsn = db.MiddleLsn;
        Differential.Scalar(q, db.Ledger, q => q.Any(a => a.Agent == "carol"));
        Differential.Scalar(q, db.Ledger, q => q.Any());
        Differential.Scalar(q, db.Ledger, q => q.Any(a => a.Subject == "nobody"), allowEmpty: true);
        Differential.Scalar(q, db.Ledger, q => q.All(a => a.Lsn > 0));
        Differential.Scalar(q, db.Ledger, q => q.All(a => a.Lsn > lsn), allowEmpty: true);
        // Ledger rows have no confidence: C# says null > 0.5 is false, so All is false.
        Differential.Scalar(q, db.Ledger, q => q.All(a => a.Confidence > 0.5), allowEmpty: true);
        Differential.Scalar(q, db.Ledger, q => q.All(a => !(a.Confidence > 0.5)));
        Differential.Scalar(q, db.Ledger, q => q.Count());
        Differential.Scalar(q, db.Ledger, q => q.Count(a => a.Predicate == "p2"));
        Differential.Scalar(q, db.Ledger, q => q.LongCount(a => a.Lsn > lsn));
        Differential.Scalar(q, db.Ledger, q => q.Take(7).Count());
        Differential.Scalar(q, db.Ledger, q => q.Skip(5).LongCount());
        Differential.Scalar(q, db.Ledger, q => q.Select(a => a.Subject).Distinct().Count());
        Differential.Scalar(q, db.Ledger, q => q.GroupBy(a => a.Agent).Select(g => g.Key).Count());
        Differential.Scalar(db.Reader.Assertions().UsingLens(Lens.Consensus), db.Consensus, q => q.Count(a => a.Candidates > 1 || a.Confidence < 0.9));
        Differential.Scalar(db.Reader.Votes(), db.VoteRows, q => q.Count(v => v.Weight >= 0.5));
    }

    [Theory]
    [MemberData(nameof(Databases.Seeds), MemberType = typeof(Databases))]
    public void Aggregates_agree_with_linq_to_objects(int seed)
    {
        var db = databases.For(seed);
        var q = db.Reader.Assertions();
        Differential.Scalar(q, db.Ledger, q => q.Sum(a => a.Lsn));
        Differential.Scalar(q, db.Ledger, q => q.Average(a => a.Lsn));
        Differential.Scalar(q, db.Ledger, q => q.Min(a => a.Subject));
        Differential.Scalar(q, db.Ledger, q => q.Max(a => a.AssertedAt));
        Differential.Scalar(q, db.Ledger, q => q.Select(a => a.Lsn).Max());
        Differential.Scalar(q, db.Ledger, q => q.Where(a => a.ObjectType == "integer").Sum(a => a.ObjectAs<long>() * 2));
        Differential.Scalar(q, db.Ledger, q => q.Where(a => a.ObjectType == "real").Min(a => a.ObjectAs<double>()));
        var lens = db.Reader.Assertions().UsingLens(Lens.Consensus);
        Differential.Scalar(lens, db.Consensus, q => q.Sum(a => a.Confidence));
        Differential.Scalar(lens, db.Consensus, q => q.Average(a => a.Support));
        Differential.Scalar(lens, db.Consensus, q => q.Max(a => a.Candidates));
        Differential.Scalar(db.Reader.Votes(), db.VoteRows, q => q.Average(v => v.Weight));
        // No values: Sum is 0, nullable results are null, the others throw, as in LINQ.
        Differential.Scalar(q, db.Ledger, q => q.Average(a => a.Confidence), allowEmpty: true);
        Differential.Scalar(q, db.Ledger, q => q.Where(a => a.Subject == "nobody").Sum(a => a.Lsn), allowEmpty: true);
        Differential.Scalar(q, db.Ledger, q => q.Where(a => a.Subject == "nobody").Max(a => a.Lsn));
        Differential.Scalar(q, db.Ledger, q => q.Where(a => a.Subject == "nobody").Min(a => a.Subject), allowEmpty: true);
    }
}
