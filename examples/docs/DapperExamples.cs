using System.Data;
using Dapper;
using StemeQL;

namespace DocExamples;

/// <summary>The C# blocks of docs/dapper.md (and the Dapper block of docs/ado-net.md).</summary>
public static class DapperExamples
{
    public static void Writes()
    {
        // <doc>
        using var db = new StemeConnection("Data Source=./stemedb;Agent=alice");
        db.Open();

        // ASSERT through ExecuteScalar returns the hash
        string hash = db.ExecuteScalar<string>("ASSERT (@s, @p, @o)", new { s = "pluto", p = "is_a", o = "planet" })!;

        // VOTE through Execute returns 1
        int affected = db.Execute("VOTE @h WEIGHT @w", new { h = hash, w = 0.25 });

        // several tuples in one statement: Execute returns the number of assertions (3)
        int count = db.Execute("ASSERT ('a', 'p', 1), ('b', 'p', 2), ('c', 'p', 3)");

        // a list of parameter objects: Dapper runs the statement once per item and adds up the counts (2)
        int rows = db.Execute("ASSERT (@s, 'rank', @r)", new[] { new { s = "c1", r = 1 }, new { s = "c2", r = 2 } });
        // </doc>
        Check(affected == 1 && count == 3 && rows == 2, "Execute counts");
    }

    public static void Queries()
    {
        using var db = new StemeConnection("Data Source=./stemedb;Agent=alice");
        db.Open();
        db.Execute("ASSERT ('paris', 'capital_of', 'france'), ('paris', 'population', 2102650), ('rome', 'population', 2746984)");
        // <doc>
        // rows into records: a record's constructor needs each column's exact type, so give the
        // polymorphic object column one with to_text (or to_integer, to_real, ...)
        List<Fact> facts = db.Query<Fact>(
            "SELECT subject, predicate, to_text(object) AS object, confidence FROM assertions USING LENS consensus WHERE subject = @s",
            new { s = "paris" }).AsList();

        // one row: First / Single throw when there is none, ...OrDefault returns null
        Fact first = db.QueryFirst<Fact>(
            "SELECT subject, predicate, to_text(object) AS object, confidence FROM assertions USING LENS consensus WHERE subject = 'paris' ORDER BY predicate");
        Fact? none = db.QuerySingleOrDefault<Fact>(
            "SELECT subject, predicate, to_text(object) AS object, confidence FROM assertions WHERE subject = 'atlantis'");

        // one column: every population is an integer, so the object column is a long here
        List<long> populations = db.Query<long>(
            "SELECT object FROM assertions USING LENS consensus WHERE predicate = 'population' ORDER BY object").AsList();
        long largest = db.QuerySingle<long>("SELECT max(object) FROM assertions WHERE predicate = 'population'");

        // objects of mixed kinds: map the column to object and look at each value's type
        var objects = db.Query<(string Predicate, object Object)>(
            "SELECT predicate, object FROM assertions WHERE subject = 'paris'");
        // </doc>
        Check(facts.Count == 2 && first.Predicate == "capital_of" && none is null, "rows");
        Check(populations.Contains(2102650) && largest >= 2746984 && objects.Any(), "columns");
    }

    public static void Classes()
    {
        using var db = new StemeConnection("Data Source=./stemedb;Agent=alice");
        db.Open();
        db.Execute("ASSERT ('sky', 'colour', 'blue') WITH CONFIDENCE 0.4");
        // <doc>
        // classes with settable properties: Dapper converts numbers between types, DateTime to
        // DateTimeOffset, and fills only the properties whose names match a column
        var row = db.QuerySingle<FactRow>(
            "SELECT subject, to_text(object) AS object, confidence, candidates, asserted_at AS assertedat " +
            "FROM assertions USING LENS recency WHERE subject = @s AND predicate = @p",
            new { s = "sky", p = "colour" });
        // </doc>
        Check(row.Object == "blue" && row.Candidates >= 1, "class");
    }

    // <doc>
    public sealed class FactRow
    {
        public string Subject { get; set; } = "";
        public string? Object { get; set; }
        public double Confidence { get; set; }
        public int Candidates { get; set; }
        public DateTimeOffset AssertedAt { get; set; }
    }
    // </doc>

    public static void MultipleAndScalar()
    {
        using var db = new StemeConnection("Data Source=./stemedb;Agent=alice");
        db.Open();
        string hash = db.ExecuteScalar<string>("ASSERT ('pluto', 'is_a', 'planet')")!;
        db.Execute("VOTE @h WEIGHT 0.5", new { h = hash });
        // <doc>
        // several statements, one result set each
        using (var results = db.QueryMultiple(
            "SELECT count(*) FROM assertions; SELECT assertion, weight FROM votes WHERE assertion = @h", new { h = hash }))
        {
            long assertions = results.ReadSingle<long>();
            var votes = results.Read<(string Assertion, double Weight)>().AsList();
        }

        // the first column of the first row: here, the newest vote on the hash
        double weight = db.ExecuteScalar<double>(
            "SELECT weight FROM votes WHERE assertion = @h ORDER BY lsn DESC LIMIT 1", new { h = hash });

        // DynamicParameters: build the parameters one by one (input parameters only)
        var parameters = new DynamicParameters();
        parameters.Add("h", hash);
        parameters.Add("w", 0.75, DbType.Double);
        db.Execute("VOTE @h WEIGHT @w", parameters);
        // </doc>
        Check(weight == 0.5, "scalar");
    }

    public static async Task AsyncAndTransactions()
    {
        // <doc>
        await using var db = new StemeConnection("Data Source=./stemedb;Agent=alice");
        await db.OpenAsync();

        // every call has an async form; the store is embedded, so they complete synchronously
        string hash = (await db.ExecuteScalarAsync<string>("ASSERT ('mars', 'is_a', 'planet')"))!;
        await db.ExecuteAsync("VOTE @h WEIGHT 0.9", new { h = hash });
        var planets = await db.QueryAsync<string>(
            "SELECT subject FROM assertions USING LENS consensus WHERE predicate = 'is_a' AND object = 'planet'");
        Fact? mars = await db.QueryFirstOrDefaultAsync<Fact>(
            "SELECT subject, predicate, to_text(object) AS object, confidence FROM assertions USING LENS consensus WHERE subject = 'mars'");

        // in a transaction: pass it to each call
        using var tx = db.BeginTransaction();
        await db.ExecuteAsync("ASSERT ('x', 'p', 'o')", transaction: tx);
        tx.Commit();
        // </doc>
        Check(planets.Contains("mars") && mars is not null, "async");
    }

    private static void Check(bool condition, string what)
    {
        if (!condition) throw new InvalidOperationException($"The docs/dapper.md example '{what}' did not give what the page says.");
    }
}
