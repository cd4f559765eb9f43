using StemeQL.Linq.Tests.Support;

namespace StemeQL.Linq.Tests;

/// <summary>AsOf(lsn) and AsOf(time), with and without a lens, against rows read back with plain StemeQL.</summary>
[Collection("linq")]
public sealed class AsOfDifferentialTests(Databases databases)
{
    [Theory]
    [MemberData(nameof(Databases.Seeds), MemberType = typeof(Databases))]
    public void As_of_an_lsn_agrees_with_the_history_read_back(int seed)
    {
        var db = databases.For(seed);
        long lsn = db.MiddleLsn;
        Differential.Sequence(db.Reader.Assertions().AsOf(lsn), db.Ledger.Where(a => a.Lsn <= lsn), q => q.Where(a => a.Predicate != "p0"));
        long lastVote = db.VoteRows[db.VoteRows.Count / 2].Lsn;
        Differential.Sequence(db.Reader.Votes().AsOf(lastVote), db.VoteRows.Where(v => v.Lsn <= lastVote), q => q.Select(v => new { v.Assertion, v.Weight }));
        var consensusThen = Reference.Assertions(db.Reader, $"USING LENS consensus AS OF LSN {lsn}");
        Differential.Sequence(db.Reader.Assertions().UsingLens(Lens.Consensus).AsOf(lsn), consensusThen,
            q => q.Select(a => new { a.Subject, a.Predicate, a.Object, a.Confidence }));
    }

    [Theory]
    [MemberData(nameof(Databases.Seeds), MemberType = typeof(Databases))]
    public void As_of_a_time_agrees_with_the_history_read_back(int seed)
    {
        var db = databases.For(seed);
        var time = new DateTimeOffset(DateTime.SpecifyKind(db.Ledger.Single(a => a.Lsn == db.MiddleLsn).AssertedAt, DateTimeKind.Utc));
        Differential.Sequence(db.Reader.Assertions().AsOf(time), db.Ledger.Where(a => a.AssertedAt <= time.UtcDateTime), q => q.Select(a => a.Hash));
    }
}
