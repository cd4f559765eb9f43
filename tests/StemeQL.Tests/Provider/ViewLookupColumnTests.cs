using StemeQL.Tests.Support;

namespace StemeQL.Tests.Provider;

/// <summary>
/// A lens lookup reads only the parts of the view row its query uses (a store need not fetch a winner's tallies for a
/// query of its object). Each column read alone must hold what the same column of the whole row holds, for one set and
/// for many, through ties, sets without votes, a set of one assertion, an unknown set, and a vote that moves the winner.
/// </summary>
public abstract class ViewLookupColumnTests : IDisposable
{
    private readonly TestDatabase _database;
    private readonly StemeConnection _connection;

    private static readonly string[] ColumnNames = ["hash", "subject", "predicate", "object", "object_type", "epoch", "agent",
        "asserted_at", "lsn", "confidence", "support", "candidates"];

    private static readonly string[] Subjects = ["tie", "one", "moved", "nowhere"];

    private protected ViewLookupColumnTests(StorageBackend backend)
    {
        _database = backend.CreateDatabase();
        // Reads see the other agents' writes (made on connections of their own) without a token.
        _connection = new StemeConnection(_database.ConnectionString("alice") + ";Consistency=Process");
        _connection.Open();
        Execute("ASSERT ('tie', 'p', 'first'), ('one', 'p', 42)");
        Execute("ASSERT ('moved', 'p', 'x') WITH CONFIDENCE 0.5");
        Execute("ASSERT ('tie', 'p', 'second')", "bob");
        Execute("ASSERT ('moved', 'p', 'y') WITH CONFIDENCE 0.5", "bob");
    }

    public void Dispose()
    {
        _connection.Dispose();
        _database.Dispose();
    }

    public static TheoryData<string, string> LensesAndColumns()
    {
        var data = new TheoryData<string, string>();
        foreach (var lens in new[] { "consensus", "recency" })
            foreach (var column in ColumnNames) data.Add(lens, column);
        return data;
    }

    [Theory]
    [MemberData(nameof(LensesAndColumns))]
    public void A_column_looked_up_alone_holds_what_the_whole_view_row_holds(string lens, string column)
    {
        AssertColumnMatchesWholeRow(lens, column, "before any vote");
        Execute("VOTE @h WEIGHT 1.0", "carol", ("@h", Hash("moved", "y")));
        AssertColumnMatchesWholeRow(lens, column, "after a vote moved the winner");
    }

    [Fact]
    public void A_lookup_of_the_object_alone_follows_ties_votes_and_unknown_sets()
    {
        Assert.Equal("first", Object("tie"));
        Assert.Equal(42L, Object("one"));
        Assert.Equal("x", Object("moved"));
        Assert.Null(Object("nowhere"));
        Execute("VOTE @h WEIGHT 1.0", "carol", ("@h", Hash("moved", "y")));
        Assert.Equal("y", Object("moved"));
    }

    [Theory]
    [InlineData("ORDER BY confidence DESC, subject")]
    [InlineData("AND confidence > 0.6 ORDER BY subject")]
    [InlineData("AND candidates = 2 ORDER BY support, subject")]
    public void A_lookup_that_orders_or_filters_by_the_tallies_without_selecting_them_reads_them(string clause)
    {
        Execute("VOTE @h WEIGHT 1.0", "carol", ("@h", Hash("moved", "y")));
        var whole = Rows($"SELECT * FROM assertions USING LENS consensus WHERE predicate = 'p' {clause}");
        var objects = Rows($"SELECT object FROM assertions USING LENS consensus WHERE predicate = 'p' {clause}");
        Assert.NotEmpty(objects);
        Assert.Equal(whole.Select(row => row[Array.IndexOf(ColumnNames, "object")]), objects.Select(row => row[0]));
    }

    private void AssertColumnMatchesWholeRow(string lens, string column, string context)
    {
        int ordinal = Array.IndexOf(ColumnNames, column);
        foreach (var subject in Subjects)
        {
            var whole = Rows($"SELECT * FROM assertions USING LENS {lens} WHERE subject = @s AND predicate = 'p'", ("@s", subject));
            var alone = Rows($"SELECT {column} FROM assertions USING LENS {lens} WHERE subject = @s AND predicate = 'p'", ("@s", subject));
            Assert.True(whole.Select(row => row[ordinal]).SequenceEqual(alone.Select(row => row[0])), $"{lens}.{column} of {subject}, {context}");
        }
        // Many sets: another shape of read.
        var every = Rows($"SELECT * FROM assertions USING LENS {lens} WHERE predicate = 'p' ORDER BY subject");
        var everyAlone = Rows($"SELECT {column} FROM assertions USING LENS {lens} WHERE predicate = 'p' ORDER BY subject");
        Assert.Equal(3, every.Count);
        Assert.True(every.Select(row => row[ordinal]).SequenceEqual(everyAlone.Select(row => row[0])), $"{lens}.{column} of every set, {context}");
    }

    private object? Object(string subject)
    {
        using var command = new StemeCommand("SELECT object FROM assertions USING LENS consensus WHERE subject = @s AND predicate = 'p'", _connection);
        command.Parameters.AddWithValue("@s", subject);
        command.Prepare();
        return command.ExecuteScalar();
    }

    private string Hash(string subject, string obj)
    {
        using var command = new StemeCommand("SELECT hash FROM assertions WHERE subject = @s AND predicate = 'p' AND object = @o", _connection);
        command.Parameters.AddWithValue("@s", subject);
        command.Parameters.AddWithValue("@o", obj);
        return (string)command.ExecuteScalar()!;
    }

    private void Execute(string sql, string? agent = null, params (string Name, object Value)[] parameters)
    {
        using var connection = agent is null ? null : _database.Open(agent);
        using var command = new StemeCommand(sql, connection ?? _connection);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        command.ExecuteNonQuery();
    }

    private List<string[]> Rows(string sql, params (string Name, object Value)[] parameters) => ResultRows.Cells(_connection, sql, parameters);
}

/// <summary>The suite on the embedded store.</summary>
public sealed class EmbeddedViewLookupColumnTests() : ViewLookupColumnTests(StorageBackend.Named("embedded"));

/// <summary>The suite on PostgreSQL, whose lookup of a winner's object leaves its tallies unread.</summary>
public sealed class PostgresViewLookupColumnTests() : ViewLookupColumnTests(StorageBackend.Named("postgres"));
