using Dapper;
using StemeQL.Tests.Support;

namespace StemeQL.Tests.EndToEnd;

public sealed record Fact(string Subject, string Predicate, string Object, double Confidence);

public sealed class FactRow
{
    public string Subject { get; set; } = "";
    public string Object { get; set; } = "";
    public double Confidence { get; set; }
    public long Candidates { get; set; }
}

public abstract class DapperTests : IDisposable
{
    private readonly TestDatabase _database;

    private protected DapperTests(StorageBackend backend) => _database = backend.CreateDatabase();

    [Fact]
    public void Query_maps_lens_rows_to_records()
    {
        using var alice = _database.Open("alice");
        using var bob = _database.Open("bob");
        alice.Execute("ASSERT (@s, @p, @o)", new { s = "paris", p = "capital_of", o = "france" });
        bob.Execute("ASSERT (@s, @p, @o)", new { s = "paris", p = "capital_of", o = "germany" });
        bob.Execute("ASSERT (@s, @p, @o)", new { s = "paris", p = "capital_of", o = "france" });
        alice.WaitForLsn(bob.LastWriteLsn); // Dapper makes its own commands: wait on the connection for bob's writes

        var facts = alice.Query<Fact>(
            "SELECT subject, predicate, object, confidence FROM assertions USING LENS consensus WHERE subject = @s",
            new { s = "paris" }).ToList();

        var fact = Assert.Single(facts);
        Assert.Equal(new Fact("paris", "capital_of", "france", fact.Confidence), fact);
        Assert.Equal(2.0 / 3.0, fact.Confidence, 9);
    }

    [Fact]
    public void Query_maps_lens_rows_to_classes()
    {
        using var connection = _database.Open("alice");
        connection.Execute("ASSERT ('sky', 'colour', 'blue') WITH CONFIDENCE 0.4");

        var row = connection.QuerySingle<FactRow>(
            "SELECT subject, object, confidence, candidates FROM assertions USING LENS recency WHERE subject = @s AND predicate = @p",
            new { s = "sky", p = "colour" });

        Assert.Equal("sky", row.Subject);
        Assert.Equal("blue", row.Object);
        Assert.Equal(1.0, row.Confidence);
        Assert.Equal(1, row.Candidates);
    }

    [Fact]
    public void ExecuteScalar_returns_the_hash_and_Execute_votes_on_it()
    {
        using var connection = _database.Open("alice");
        string? hash = connection.ExecuteScalar<string>("ASSERT (@s, @p, @o)", new { s = "pluto", p = "is_a", o = "planet" });
        Assert.Matches("^[0-9a-f]{64}$", hash);

        int affected = connection.Execute("VOTE @h WEIGHT @w", new { h = hash, w = 0.25 });

        Assert.Equal(1, affected);
        var weight = connection.QuerySingle<double>("SELECT weight FROM votes WHERE assertion = @h", new { h = hash });
        Assert.Equal(0.25, weight);
    }

    [Fact]
    public void Execute_returns_the_number_of_assertions_written()
    {
        using var connection = _database.Open("alice");
        int affected = connection.Execute("ASSERT ('a', 'p', 1), ('b', 'p', 2), ('c', 'p', 3)");
        Assert.Equal(3, affected);
        Assert.Equal(new long[] { 1, 2, 3 }, connection.Query<long>("SELECT object FROM assertions ORDER BY object"));
    }

    [Fact]
    public void Query_maps_typed_objects_to_their_clr_types()
    {
        using var connection = _database.Open("alice");
        connection.Execute("ASSERT ('bob', 'age', 42), ('bob', 'height_m', 1.82), ('bob', 'member', TRUE), ('bob', 'photo', @b)",
            new { b = new byte[] { 1, 2, 3 } });

        var objects = connection.Query<(string Predicate, object Object)>(
            "SELECT predicate, object FROM assertions WHERE subject = 'bob' ORDER BY predicate").ToDictionary(x => x.Predicate, x => x.Object);

        Assert.Equal(42L, objects["age"]);
        Assert.Equal(1.82, objects["height_m"]);
        Assert.Equal(true, objects["member"]);
        Assert.Equal(new byte[] { 1, 2, 3 }, objects["photo"]);
    }

    public void Dispose() => _database.Dispose();
}

/// <summary>The suite on the embedded store.</summary>
public sealed class EmbeddedDapperTests() : DapperTests(StorageBackend.Named("embedded"));

/// <summary>The suite on PostgreSQL.</summary>
public sealed class PostgresDapperTests() : DapperTests(StorageBackend.Named("postgres"));
