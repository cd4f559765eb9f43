using StemeQL.Linq.Tests.Support;

namespace StemeQL.Linq.Tests;

/// <summary>connection.Agents() against LINQ-to-Objects over the agents rows read with plain StemeQL.</summary>
[Collection("linq")]
public sealed class AgentsDifferentialTests(Databases databases)
{
    [Theory]
    [MemberData(nameof(Databases.Seeds), MemberType = typeof(Databases))]
    public void Agents_queries_agree_with_linq_to_objects(int seed)
    {
        var db = databases.For(seed);
        var q = db.Reader.Agents();
        Differential.Sequence(q, db.AgentRows, q => q, ordered: false);
        Differential.Sequence(q, db.AgentRows, q => q.Where(a => a.Votes > 5 || a.Agent == "bob").OrderByDescending(a => a.Assertions).ThenBy(a => a.Agent));
        Differential.Sequence(q, db.AgentRows, q => q.OrderBy(a => a.FirstLsn).Select(a => new { a.Agent, Span = a.LastLsn - a.FirstLsn }).Take(2));
        Differential.Scalar(q, db.AgentRows, q => q.Sum(a => a.Assertions + a.Votes));
        Differential.Scalar(q, db.AgentRows, q => q.Count(a => a.Assertions > 0));
        Differential.Scalar(q, db.AgentRows, q => q.Single(a => a.Agent == "carol"));
    }

    [Theory]
    [MemberData(nameof(Databases.Seeds), MemberType = typeof(Databases))]
    public void The_agents_rows_summarize_the_assertions_and_votes(int seed)
    {
        var db = databases.For(seed);
        var expected = db.Ledger.Select(a => (a.Agent, a.Lsn, Vote: false)).Concat(db.VoteRows.Select(v => (v.Agent, v.Lsn, Vote: true)))
            .GroupBy(w => w.Agent).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new AgentRow(g.Key, g.LongCount(w => !w.Vote), g.LongCount(w => w.Vote), g.Min(w => w.Lsn), g.Max(w => w.Lsn))).ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, db.Reader.Agents().OrderBy(a => a.Agent).ToList());
    }

    [Fact]
    public void A_compiled_query_over_agents_reads_one_agent()
    {
        var db = databases.For(1);
        var byName = StemeQuery.Compile((StemeConnection c, string agent) => c.Agents().SingleOrDefault(a => a.Agent == agent));
        foreach (var row in db.AgentRows) Assert.Equal(row, byName(db.Reader, row.Agent));
        Assert.Null(byName(db.Reader, "nobody"));
    }
}
