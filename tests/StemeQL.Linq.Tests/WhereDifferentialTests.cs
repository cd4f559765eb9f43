using StemeQL.Linq.Tests.Support;

namespace StemeQL.Linq.Tests;

/// <summary>Where: comparisons, logic, null checks, list.Contains, string matching and typed objects, against LINQ-to-Objects.</summary>
[Collection("linq")]
public sealed class WhereDifferentialTests(Databases databases)
{
    [Theory]
    [MemberData(nameof(Databases.Seeds), MemberType = typeof(Databases))]
    public void Where_comparisons_and_logic_agree_with_linq_to_objects(int seed)
    {
        var db = databases.For(seed);
        long lsn = db.MiddleLsn;
        string subject = "s3";
        var q = db.Reader.Assertions();
        Differential.Sequence(q, db.Ledger, q => q.Where(a => a.Lsn >= lsn));
        Differential.Sequence(q, db.Ledger, q => q.Where(a => a.Lsn < lsn && a.Subject != subject));
        Differential.Sequence(q, db.Ledger, q => q.Where(a => a.Lsn <= 10 || a.Agent == "bob"));
        Differential.Sequence(q, db.Ledger, q => q.Where(a => !(a.Agent == "alice") && a.Lsn > 5));
        Differential.Sequence(q, db.Ledger, q => q.Where(a => a.Subject == subject).Where(a => a.Predicate != "p0" || a.Lsn == lsn));
        var since = db.Ledger.Single(a => a.Lsn == lsn).AssertedAt;
        Differential.Sequence(q, db.Ledger, q => q.Where(a => a.AssertedAt >= since));
    }

    [Theory]
    [MemberData(nameof(Databases.Seeds), MemberType = typeof(Databases))]
    public void Where_on_nullable_lens_columns_follows_csharp_null_semantics(int seed)
    {
        var db = databases.For(seed);
        var lens = db.Reader.Assertions().UsingLens(Lens.Consensus);
        Differential.Sequence(lens, db.Consensus, q => q.Where(a => a.Confidence > 0.5));
        Differential.Sequence(lens, db.Consensus, q => q.Where(a => !(a.Confidence > 0.5)));
        Differential.Sequence(lens, db.Consensus, q => q.Where(a => a.Support >= 1.0 || a.Candidates > 1));
        Differential.Sequence(lens, db.Consensus, q => q.Where(a => a.Confidence != null && a.Candidates.HasValue));
        // Ledger rows have no confidence: C# says !(null > 0.5) is true and null != 0.5 is true.
        var ledger = db.Reader.Assertions();
        Differential.Sequence(ledger, db.Ledger, q => q.Where(a => !(a.Confidence > 0.5)));
        Differential.Sequence(ledger, db.Ledger, q => q.Where(a => a.Confidence != 0.5 && a.Confidence == null));
    }

    [Theory]
    [MemberData(nameof(Databases.Seeds), MemberType = typeof(Databases))]
    public void Where_with_captured_list_contains_agrees_with_linq_to_objects(int seed)
    {
        var db = databases.For(seed);
        var q = db.Reader.Assertions();
        List<string> subjects = ["s1", "s2", "s5"];
        string[] predicates = ["p0", "p3"];
        var lsns = new HashSet<long> { 1, 4, 9, 16, 25, 36 };
        Differential.Sequence(q, db.Ledger, q => q.Where(a => subjects.Contains(a.Subject)));
        Differential.Sequence(q, db.Ledger, q => q.Where(a => predicates.Contains(a.Predicate) && !subjects.Contains(a.Subject)));
        Differential.Sequence(q, db.Ledger, q => q.Where(a => lsns.Contains(a.Lsn)));
        Differential.Sequence(q, db.Ledger, q => q.Where(a => Enumerable.Contains(subjects, a.Subject)));
    }

    [Theory]
    [MemberData(nameof(Databases.Seeds), MemberType = typeof(Databases))]
    public void Where_with_string_matching_agrees_with_linq_to_objects(int seed)
    {
        var db = databases.For(seed);
        var q = db.Reader.Assertions();
        string prefix = "mod";
        string hashPrefix = db.Ledger[0].Hash[..1];
        Differential.Sequence(q, db.Ledger, q => q.Where(a => a.Epoch.StartsWith(prefix)));
        Differential.Sequence(q, db.Ledger, q => q.Where(a => a.Hash.StartsWith(hashPrefix)));
        // '_' and '%' are LIKE wildcards and StemeQL's LIKE has no escape: these take the substr form.
        Differential.Sequence(q, db.Ledger, q => q.Where(a => a.Epoch.StartsWith("e_")));
        Differential.Sequence(q, db.Ledger, q => q.Where(a => a.Epoch.EndsWith("%2")));
        Differential.Sequence(q, db.Ledger, q => q.Where(a => a.Epoch.EndsWith("ern") || a.Epoch.StartsWith("e_")));
        Differential.Sequence(q, db.Ledger, q => q.Where(a => a.Epoch.Contains("od") && a.Subject.Length == 2));
        Differential.Sequence(q, db.Ledger, q => q.Where(a => string.IsNullOrEmpty(a.Epoch)));
    }

    [Theory]
    [MemberData(nameof(Databases.Seeds), MemberType = typeof(Databases))]
    public void Where_on_typed_objects_agrees_with_linq_to_objects(int seed)
    {
        var db = databases.For(seed);
        var q = db.Reader.Assertions();
        long threshold = 10;
        Differential.Sequence(q, db.Ledger, q => q.Where(a => a.ObjectType == "integer" && a.ObjectAs<long>() > threshold));
        Differential.Sequence(q, db.Ledger, q => q.Where(a => a.ObjectType == "real" && a.ObjectAs<double>() <= 5.5));
        Differential.Sequence(q, db.Ledger, q => q.Where(a => a.ObjectType == "text" && a.ObjectAs<string>() != "t3"));
        Differential.Sequence(q, db.Ledger, q => q.Where(a => a.ObjectType == "boolean" && a.ObjectAs<bool>()));
    }

    [Theory]
    [MemberData(nameof(Databases.Seeds), MemberType = typeof(Databases))]
    public void Where_on_votes_agrees_with_linq_to_objects(int seed)
    {
        var db = databases.For(seed);
        double weight = 0.4;
        Differential.Sequence(db.Reader.Votes(), db.VoteRows, q => q.Where(v => v.Weight > weight && v.Agent != "carol"));
    }
}
