using StemeQL;
using StemeQL.Linq;

namespace DocExamples;

/// <summary>The C# blocks of docs/linq.md.</summary>
public static class LinqExamples
{
    public static async Task FirstQuery()
    {
        // <doc>
        using var db = new StemeConnection("Data Source=./demo-db;Agent=alice");
        db.Open();

        string city = "paris";
        var fact = await db.Assertions()
            .UsingLens(Lens.Consensus)
            .Where(a => a.Subject == city && a.Predicate == "capital_of")
            .Select(a => new { a.Object, a.Confidence })
            .FirstOrDefaultAsync();
        // SELECT object, confidence FROM assertions USING LENS consensus
        //   WHERE subject = @p0 AND predicate = 'capital_of' LIMIT @p1
        // </doc>
    }

    public static void TypedObject()
    {
        using var db = new StemeConnection("Data Source=./demo-db;Agent=alice");
        db.Open();
        // <doc>
        db.Assertions().Where(a => a.ObjectType == "integer" && a.ObjectAs<long>() > 10)
                       .Select(a => new { a.Subject, Age = a.ObjectAs<long>() });
        // SELECT subject, object FROM assertions WHERE object_type = 'integer' AND object > 10
        // </doc>
    }

    public static void QueryText()
    {
        using var db = new StemeConnection("Data Source=./demo-db;Agent=alice");
        db.Open();
        string city = "paris";
        // <doc>
        var query = db.Assertions().Where(a => a.Subject == city).OrderBy(a => a.Lsn).Take(10);
        Console.WriteLine(query.ToQueryString());
        // SELECT hash, subject, predicate, object, object_type, epoch, agent, asserted_at, lsn, confidence, support, candidates
        //   FROM assertions WHERE subject = @p0 ORDER BY lsn LIMIT @p1
        using var command = query.ToCommand();   // the text and its parameter values, to run yourself or inspect
        // </doc>
    }

    // <doc>
    static readonly Func<StemeConnection, string, AssertionRow?> CapitalOf = StemeQuery.Compile(
        (StemeConnection db, string city) => db.Assertions().UsingLens(Lens.Consensus)
            .Where(a => a.Subject == city && a.Predicate == "capital_of").FirstOrDefault());

    static readonly Func<StemeConnection, string, long, IEnumerable<long>> LsnsAfter = StemeQuery.Compile(
        (StemeConnection db, string agent, long after) => db.Assertions().Where(a => a.Agent == agent && a.Lsn > after).Select(a => a.Lsn));
    // </doc>

    public static void CompiledQueries()
    {
        using var db = new StemeConnection("Data Source=./demo-db;Agent=alice");
        db.Open();
        // <doc>
        var capital = CapitalOf(db, "paris");
        foreach (long lsn in LsnsAfter(db, "alice", 100)) Console.WriteLine(lsn);
        // </doc>
        GC.KeepAlive(capital);
    }

    public static async Task Writes()
    {
        using var db = new StemeConnection("Data Source=./demo-db;Agent=alice");
        db.Open();
        // <doc>
        string hash = db.Assert("paris", "capital_of", "france");                      // ASSERT (@s, @p, @o)
        await db.AssertAsync("paris", "capital_of", "gaul", epoch: "ancient", confidence: 0.2);
        db.Vote(hash, 0.9);                                                             // VOTE @h WEIGHT @w
        await db.VoteAsync(hash);                                                       // weight 1.0
        // </doc>
    }
}
