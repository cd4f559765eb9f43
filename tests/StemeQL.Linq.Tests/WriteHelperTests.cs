namespace StemeQL.Linq.Tests;

/// <summary>connection.Assert / Vote and their async forms, read back through LINQ.</summary>
public sealed class WriteHelperTests
{
    [Fact]
    public async Task Assert_and_vote_write_what_queries_then_read()
    {
        using var alice = new StemeConnection("Data Source=:memory:;Agent=alice");
        alice.Open();
        string france = alice.Assert("paris", "capital_of", "france");
        string gaul = await alice.AssertAsync("paris", "capital_of", "gaul", epoch: "ancient", confidence: 0.2);
        alice.Vote(france, 0.9);
        await alice.VoteAsync(gaul, 0.1);

        var rows = alice.Assertions().OrderBy(a => a.Lsn).Select(a => new { a.Hash, a.Object, a.Epoch }).ToList();
        Assert.Equal([new { Hash = france, Object = (object)"france", Epoch = "" }, new { Hash = gaul, Object = (object)"gaul", Epoch = "ancient" }], rows);
        Assert.Equal([0.9, 0.1], alice.Votes().OrderBy(v => v.Lsn).Select(v => v.Weight).ToList());
        Assert.Equal("france", alice.Assertions().UsingLens(Lens.Consensus).Select(a => a.ObjectAs<string>()).Single());
        Assert.Throws<StemeException>(() => alice.Vote(new string('0', 64)));
    }
}
