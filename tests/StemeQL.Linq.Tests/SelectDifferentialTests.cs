using StemeQL.Linq.Tests.Support;

namespace StemeQL.Linq.Tests;

/// <summary>Select into anonymous types, records and classes, with expressions, against LINQ-to-Objects.</summary>
[Collection("linq")]
public sealed class SelectDifferentialTests(Databases databases)
{
    public sealed record Pair(string Name, long Number);

    public sealed class Holder
    {
        public string Name { get; init; } = "";
        public string Upper { get; init; } = "";
        public int Length { get; init; }
    }

    [Theory]
    [MemberData(nameof(Databases.Seeds), MemberType = typeof(Databases))]
    public void Select_into_anonymous_types_records_and_classes_agrees_with_linq_to_objects(int seed)
    {
        var db = databases.For(seed);
        var q = db.Reader.Assertions();
        Differential.Sequence(q, db.Ledger, q => q.Select(a => new { a.Subject, Twice = a.Lsn * 2 + 1, Key = a.Subject + ":" + a.Predicate }));
        Differential.Sequence(q, db.Ledger, q => q.Select(a => new Pair(a.Agent, a.Lsn - 1)));
        Differential.Sequence(q, db.Ledger, q => q.Select(a => new Holder { Name = a.Agent, Upper = a.Agent.ToUpperInvariant(), Length = a.Agent.Length }));
        Differential.Sequence(q, db.Ledger, q => q.Select(a => new { a.Subject, Inner = new { a.Lsn, a.Agent }, Constant = 7 }));
        Differential.Sequence(q, db.Ledger, q => q.Select(a => new { Row = a, a.Lsn }));
        Differential.Sequence(q, db.Ledger, q => q.Select(a => a.Hash.Substring(0, 6) + a.Hash.Substring(60)));
    }

    [Theory]
    [MemberData(nameof(Databases.Seeds), MemberType = typeof(Databases))]
    public void Select_with_arithmetic_conditions_and_functions_agrees_with_linq_to_objects(int seed)
    {
        var db = databases.For(seed);
        var q = db.Reader.Assertions();
        long lsn = db.MiddleLsn;
        Differential.Sequence(q, db.Ledger, q => q.Where(a => a.ObjectType == "integer")
            .Select(a => new { Div = a.ObjectAs<long>() / 3, Mod = a.ObjectAs<long>() % 4, Neg = -a.ObjectAs<long>(), Abs = Math.Abs(a.ObjectAs<long>()) }));
        Differential.Sequence(q, db.Ledger, q => q.Where(a => a.ObjectType == "real")
            .Select(a => new { Half = a.ObjectAs<double>() / 2, Rounded = Math.Round(a.ObjectAs<double>(), 1, MidpointRounding.AwayFromZero) }));
        Differential.Sequence(q, db.Ledger, q => q.Select(a => new { Band = a.Lsn > lsn ? "late" : "early", Big = a.Lsn > lsn, Conf = a.Confidence ?? -1.0 }));
    }

    [Theory]
    [MemberData(nameof(Databases.Seeds), MemberType = typeof(Databases))]
    public void Operators_after_select_see_the_projected_members(int seed)
    {
        var db = databases.For(seed);
        var q = db.Reader.Assertions();
        long lsn = db.MiddleLsn;
        Differential.Sequence(q, db.Ledger, q => q.Select(a => a.Lsn * 3).Where(x => x % 2 == 0));
        Differential.Sequence(q, db.Ledger, q => q.Select(a => new { a.Subject, N = a.Lsn }).Where(x => x.N > lsn / 2).OrderByDescending(x => x.N));
        Differential.Sequence(q, db.Ledger, q => q.Select(a => new Pair(a.Subject, a.Lsn)).Where(p => p.Name != "s1").Select(p => new { p.Number, Label = p.Name + "!" }));
    }

    [Theory]
    [MemberData(nameof(Databases.Seeds), MemberType = typeof(Databases))]
    public void Select_on_lens_rows_and_votes_agrees_with_linq_to_objects(int seed)
    {
        var db = databases.For(seed);
        Differential.Sequence(db.Reader.Assertions().UsingLens(Lens.Consensus), db.Consensus,
            q => q.Select(a => new { a.Subject, a.Predicate, a.Object, a.Confidence, a.Support, a.Candidates }));
        Differential.Sequence(db.Reader.Assertions().UsingLens(Lens.Recency), db.Recency, q => q.Select(a => new { a.Subject, a.Object, a.Agent }));
        Differential.Sequence(db.Reader.Votes(), db.VoteRows, q => q.Select(v => new { v.Agent, Percent = v.Weight * 100 }));
    }
}
