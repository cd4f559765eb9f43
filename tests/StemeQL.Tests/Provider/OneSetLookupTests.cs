using StemeQL.Tests.Support;

namespace StemeQL.Tests.Provider;

/// <summary>
/// A lens lookup pinned to one (subject, predicate) set that only projects reads that set's view row alone and fills the
/// result row from it (<c>QueryPlan.OneSetLookup</c>). Whatever it reads must be what the general path reads: the same
/// query with a LIMIT (a stage after the projection, so the rows come through the general path) is the reference, for
/// every kind of object, lenses, empty results, parameters that change between executions of one prepared command,
/// reads after another connection's write, and reads of a command's own pending writes.
/// </summary>
public abstract class OneSetLookupTests : IDisposable
{
    private readonly TestDatabase _database;
    private readonly StemeConnection _connection;

    // A threshold below the large value's size, so "big" is a large object reference.
    private const string Options = ";Object Threshold=64";

    private static readonly string[] SelectLists = ["*", "object", "object_type, object", "hash, lsn, asserted_at, agent, epoch",
        "confidence, support, candidates", "subject || '/' || predicate AS set_name, object, 1 AS one, @p AS parameter"];

    private static readonly object[] Subjects = ["text", "integer", "real", "boolean", "bytes", "big", "tie", "other", "nowhere", DBNull.Value, 7L];

    private protected OneSetLookupTests(StorageBackend backend)
    {
        _database = backend.CreateDatabase();
        _connection = new StemeConnection(_database.ConnectionString("alice") + Options + ";Consistency=Process");
        _connection.Open();
        Execute("ASSERT ('text', 'p', 'hello'), ('integer', 'p', 42), ('real', 'p', 2.5), ('boolean', 'p', true), ('tie', 'p', 'first'), ('other', 'q', 'x')");
        Execute("ASSERT ('bytes', 'p', @b), ('big', 'p', @big) WITH CONFIDENCE 0.5", null, ("@b", new byte[] { 0, 1, 255 }),
            ("@big", Enumerable.Range(0, 200).Select(i => (byte)i).ToArray()));
        Execute("ASSERT ('tie', 'p', 'second'), ('integer', 'p', 43)", "bob");
    }

    public void Dispose()
    {
        _connection.Dispose();
        _database.Dispose();
    }

    public static TheoryData<string, string> LensesAndSelectLists()
    {
        var data = new TheoryData<string, string>();
        foreach (var lens in new[] { "consensus", "recency" })
            foreach (var list in SelectLists) data.Add(lens, list);
        return data;
    }

    [Theory]
    [MemberData(nameof(LensesAndSelectLists))]
    public void A_prepared_one_set_lookup_reads_what_the_general_path_reads_as_its_parameters_change(string lens, string list)
    {
        string sql = $"SELECT {list} FROM assertions USING LENS {lens} WHERE subject = @s AND predicate = @p";
        using var command = new StemeCommand(sql, _connection);
        var s = command.Parameters.AddWithValue("@s", "text");
        var p = command.Parameters.AddWithValue("@p", "p");
        command.Prepare();
        // Every subject, then again in another order, on one prepared command, with the predicate changed in between.
        foreach (var predicate in new[] { "p", "q", "p" })
        {
            p.Value = predicate;
            foreach (var subject in Subjects.Concat(Subjects.Reverse()))
            {
                s.Value = subject;
                var expected = Read(sql + " LIMIT 5", ("@s", subject), ("@p", predicate));
                Assert.Equal(expected, Read(command));
            }
        }
    }

    [Fact]
    public void A_one_set_lookup_returns_each_kind_of_object_as_its_own_type()
    {
        Assert.Equal("hello", Object("text"));
        Assert.Equal(42L, Object("integer"));
        Assert.Equal(2.5, Object("real"));
        Assert.Equal(true, Object("boolean"));
        Assert.Equal(new byte[] { 0, 1, 255 }, Object("bytes"));
        Assert.Equal(Enumerable.Range(0, 200).Select(i => (byte)i).ToArray(), Object("big"));
        Assert.Equal("first", Object("tie"));
        Assert.Null(Object("other"));     // a subject with no set for this predicate
        Assert.Null(Object("nowhere"));
        Assert.Null(Object(DBNull.Value)); // NULL equals nothing
        Assert.Null(Object(7L));           // nor does a value that is not text
    }

    [Fact]
    public void A_one_set_lookup_gives_its_columns_types_when_it_finds_no_row()
    {
        const string sql = "SELECT object, confidence, candidates, lsn, asserted_at FROM assertions USING LENS consensus WHERE subject = @s AND predicate = 'p'";
        var none = Read(sql, ("@s", "nowhere"));
        Assert.Equal(Read(sql + " LIMIT 5", ("@s", "nowhere")), none);
        Assert.Equal(6, none.Count); // five column types and the names: no row
    }

    [Fact]
    public void A_one_set_lookup_sees_a_write_made_on_another_connection_just_before_it()
    {
        using var command = new StemeCommand("SELECT object FROM assertions USING LENS recency WHERE subject = 'moving' AND predicate = 'p'", _connection);
        command.Prepare();
        Assert.Null(command.ExecuteScalar());
        for (int i = 0; i < 20; i++)
        {
            Execute("ASSERT ('moving', 'p', @v)", i % 2 == 0 ? "bob" : "carol", ("@v", (long)i));
            Assert.Equal((long)i, command.ExecuteScalar());
        }
    }

    [Fact]
    public void A_one_set_lookup_sees_its_own_connections_write_and_the_writes_before_it_in_its_command()
    {
        using var reader = new StemeConnection(_database.ConnectionString("dave") + Options);
        reader.Open();
        using var write = new StemeCommand("ASSERT ('own', 'p', 'mine')", reader);
        write.ExecuteNonQuery();
        using var lookup = new StemeCommand("SELECT object FROM assertions USING LENS consensus WHERE subject = 'own' AND predicate = 'p'", reader);
        Assert.Equal("mine", lookup.ExecuteScalar());

        // In one command, the query reads through the command's pending write; a failing command writes nothing.
        using var both = new StemeCommand(
            "ASSERT ('pending', 'p', 'soon'); SELECT object FROM assertions USING LENS consensus WHERE subject = 'pending' AND predicate = 'p'", reader);
        using (var rows = both.ExecuteReader())
        {
            Assert.True(rows.NextResult());
            Assert.True(rows.Read());
            Assert.Equal("soon", rows.GetValue(0));
        }
        Assert.Equal("soon", Object("pending"));
    }

    [Fact]
    public async Task A_cancelled_one_set_lookup_throws_as_the_general_path_does()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        const string sql = "SELECT object FROM assertions USING LENS consensus WHERE subject = 'text' AND predicate = 'p'";
        async Task<Type> Thrown(string text)
        {
            using var command = new StemeCommand(text, _connection);
            var error = await Record.ExceptionAsync(() => command.ExecuteScalarAsync(cancelled.Token));
            Assert.NotNull(error);
            return error.GetType();
        }
        Assert.Equal(await Thrown(sql + " LIMIT 5"), await Thrown(sql));
    }

    private object? Object(object subject)
    {
        using var command = new StemeCommand("SELECT object FROM assertions USING LENS consensus WHERE subject = @s AND predicate = 'p'", _connection);
        command.Parameters.AddWithValue("@s", subject);
        command.Prepare();
        return command.ExecuteScalar();
    }

    private void Execute(string sql, string? agent = null, params (string Name, object Value)[] parameters)
    {
        using var connection = agent is null ? null : _database.Open(agent);
        using var command = new StemeCommand(sql, connection ?? _connection);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        command.ExecuteNonQuery();
    }

    private List<string> Read(string sql, params (string Name, object Value)[] parameters)
    {
        using var command = new StemeCommand(sql, _connection);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return Read(command);
    }

    // The columns' types and names, then each row's values (bytes by content, times with their kind).
    private static List<string> Read(StemeCommand command)
    {
        using var reader = command.ExecuteReader();
        var cells = Enumerable.Range(0, reader.FieldCount).Select(i => $"{reader.GetFieldType(i).Name}:{reader.GetDataTypeName(i)}").ToList();
        cells.Add(string.Join(",", Enumerable.Range(0, reader.FieldCount).Select(reader.GetName)));
        while (reader.Read())
        {
            cells.Add(string.Join("|", Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetValue(i) switch
            {
                byte[] bytes => Convert.ToHexString(bytes) + ":Byte[]",
                DateTime time => time.ToString("O") + ":" + time.Kind,
                var value => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) + ":" + value.GetType().Name,
            })));
        }
        return cells;
    }
}

/// <summary>The suite on the embedded store (its one-set read is its keyed view read).</summary>
public sealed class EmbeddedOneSetLookupTests() : OneSetLookupTests(StorageBackend.Named("embedded"));

/// <summary>The suite on PostgreSQL, whose one-set read binds its single-set statement and reads the row into values.</summary>
public sealed class PostgresOneSetLookupTests() : OneSetLookupTests(StorageBackend.Named("postgres"));
