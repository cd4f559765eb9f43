using StemeQL.Tests.Support;

namespace StemeQL.Tests.EndToEnd;

/// <summary>The examples of STEMEQL.md, run through plain ADO.NET with the documented results.</summary>
public abstract class LanguageExamplesTests : IDisposable
{
    private readonly TestDatabase _database;

    private protected LanguageExamplesTests(StorageBackend backend) => _database = backend.CreateDatabase();

    [Fact]
    public void Assert_with_parameters_epoch_confidence_and_lineage_returns_one_row_per_tuple()
    {
        using var connection = _database.Open("alice");
        string parent;
        using (var first = new StemeCommand("ASSERT ('paris', 'capital_of', 'france')", connection))
            parent = (string)first.ExecuteScalar()!;

        using var command = new StemeCommand(
            "ASSERT (@s, @p, @o), ('berlin', 'capital_of', 'germany') IN EPOCH 'modern' WITH CONFIDENCE 0.9 DERIVED FROM (@parent)",
            connection);
        command.Parameters.AddWithValue("@s", "rome");
        command.Parameters.AddWithValue("p", "capital_of");
        command.Parameters.AddWithValue("o", "italy");
        command.Parameters.AddWithValue("parent", parent);
        using var reader = command.ExecuteReader();

        Assert.Equal(["hash", "lsn", "created"], Enumerable.Range(0, reader.FieldCount).Select(reader.GetName));
        Assert.True(reader.Read());
        Assert.Matches("^[0-9a-f]{64}$", reader.GetString(0));
        long lsn = reader.GetInt64(1);
        Assert.True(reader.GetBoolean(2));
        Assert.True(reader.Read());
        Assert.Equal(lsn + 1, reader.GetInt64(1));
        Assert.False(reader.Read());
        reader.Close();
        Assert.Equal(2, reader.RecordsAffected);

        using var check = new StemeCommand("SELECT epoch FROM assertions WHERE subject = 'berlin'", connection);
        Assert.Equal("modern", check.ExecuteScalar());
    }

    [Fact]
    public void Reasserting_the_same_claim_returns_created_false_and_the_same_hash()
    {
        using var connection = _database.Open("alice");
        using var command = new StemeCommand("ASSERT ('paris', 'capital_of', 'france')", connection);
        using var first = command.ExecuteReader();
        first.Read();
        var (hash, lsn) = (first.GetString(0), first.GetInt64(1));
        first.Close();

        using var again = command.ExecuteReader();
        again.Read();
        Assert.Equal(hash, again.GetString(0));
        Assert.Equal(lsn, again.GetInt64(1));
        Assert.False(again.GetBoolean(2));
    }

    [Fact]
    public void Same_claim_by_another_agent_is_another_assertion()
    {
        using var alice = _database.Open("alice");
        using var bob = _database.Open("bob");
        var a = new StemeCommand("ASSERT ('paris', 'capital_of', 'france')", alice).ExecuteScalar();
        var b = new StemeCommand("ASSERT ('paris', 'capital_of', 'france')", bob).ExecuteScalar();
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void Lens_query_with_order_limit_and_offset_reads_the_documented_columns()
    {
        using var connection = _database.Open("alice");
        new StemeCommand("ASSERT ('paris', 'capital_of', 'france'), ('paris', 'population', 2100000)", connection).ExecuteNonQuery();
        using var command = new StemeCommand(
            "SELECT subject, object, confidence FROM assertions USING LENS consensus WHERE subject = @s AND predicate = 'capital_of' ORDER BY confidence DESC LIMIT 10 OFFSET 0",
            connection);
        command.Parameters.AddWithValue("s", "paris");
        using var reader = command.ExecuteReader();
        Assert.True(reader.HasRows);
        Assert.True(reader.Read());
        Assert.Equal(("paris", "france", 1.0), (reader.GetString(0), reader.GetString(1), reader.GetDouble(2)));
        Assert.False(reader.Read());
    }

    [Fact]
    public void Select_star_lists_every_column_in_documented_order()
    {
        using var connection = _database.Open("alice");
        new StemeCommand("ASSERT ('a', 'p', 'o')", connection).ExecuteNonQuery();
        using var reader = new StemeCommand("SELECT * FROM assertions; SELECT * FROM votes", connection).ExecuteReader();
        Assert.Equal(["hash", "subject", "predicate", "object", "object_type", "epoch", "agent", "asserted_at", "lsn", "confidence", "support", "candidates"],
            Enumerable.Range(0, reader.FieldCount).Select(reader.GetName));
        Assert.True(reader.Read());
        Assert.Equal(DateTimeKind.Utc, reader.GetDateTime(7).Kind);
        Assert.True(reader.IsDBNull(9));
        Assert.True(reader.NextResult());
        Assert.Equal(["assertion", "agent", "weight", "voted_at", "lsn"], Enumerable.Range(0, reader.FieldCount).Select(reader.GetName));
        Assert.False(reader.HasRows);
        Assert.False(reader.NextResult());
    }

    [Fact]
    public void As_of_lsn_resolves_the_lens_over_history()
    {
        using var alice = _database.Open("alice");
        using var bob = _database.Open("bob");
        long lsn;
        using (var reader = new StemeCommand("ASSERT ('pluto', 'is_a', 'planet')", alice).ExecuteReader())
        {
            Assert.True(reader.Read());
            lsn = reader.GetInt64(1);
        }
        new StemeCommand("ASSERT ('pluto', 'is_a', 'dwarf_planet')", bob).ExecuteNonQuery();
        alice.WaitForLsn(bob.LastWriteLsn);

        Assert.Equal("dwarf_planet", new StemeCommand("SELECT object FROM assertions USING LENS recency WHERE subject = 'pluto'", alice).ExecuteScalar());
        Assert.Equal("planet", new StemeCommand($"SELECT object FROM assertions USING LENS recency AS OF LSN {lsn} WHERE subject = 'pluto'", alice).ExecuteScalar());
        Assert.Null(new StemeCommand("SELECT object FROM assertions USING LENS recency AS OF LSN 0 WHERE subject = 'pluto'", alice).ExecuteScalar());
    }

    [Fact]
    public void Comments_and_several_statements_give_one_result_set_each()
    {
        using var connection = _database.Open("alice");
        using var reader = new StemeCommand(
            "-- two writes and a read\nASSERT ('a', 'p', 1); /* block */ ASSERT ('b', 'p', 2);\nSELECT subject FROM assertions ORDER BY subject;", connection).ExecuteReader();
        Assert.Equal("hash", reader.GetName(0));
        Assert.True(reader.NextResult());
        Assert.Equal("hash", reader.GetName(0));
        Assert.True(reader.NextResult());
        var subjects = new List<string>();
        while (reader.Read()) subjects.Add(reader.GetString(0));
        Assert.Equal(["a", "b"], subjects);
        Assert.False(reader.NextResult());
        Assert.Equal(2, reader.RecordsAffected);
    }

    public void Dispose() => _database.Dispose();
}

/// <summary>The suite on the embedded store.</summary>
public sealed class EmbeddedLanguageExamplesTests() : LanguageExamplesTests(StorageBackend.Named("embedded"));

/// <summary>The suite on PostgreSQL.</summary>
public sealed class PostgresLanguageExamplesTests() : LanguageExamplesTests(StorageBackend.Named("postgres"));
