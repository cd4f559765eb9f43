using StemeQL.Tests.Support;

namespace StemeQL.Tests.Provider;

/// <summary>
/// Ledger queries whose select list names plain columns read their rows in place (only the columns they use,
/// decoded when read). Each is checked against the same query run through the stages (an expression in the
/// select list keeps it there), over objects of every type, lineage, epochs and confidences.
/// </summary>
public abstract class InPlaceReadTests : IDisposable
{
    private readonly TestDatabase _database;
    private readonly StemeConnection _connection;
    private readonly string _parent;

    private protected InPlaceReadTests(StorageBackend backend)
    {
        _database = backend.CreateDatabase();
        _connection = _database.Open("alice");
        _parent = Scalar("ASSERT ('parent', 'p', 'root')");
        Scalar("ASSERT ('t', 'p', 'text ü ✓'), ('i', 'p', -42), ('r', 'p', 2.5), ('b', 'p', TRUE), ('y', 'p', X'00ff10')");
        Scalar("ASSERT ('child', 'p', '') IN EPOCH 'modern' WITH CONFIDENCE 0.25 DERIVED FROM (@h)", ("@h", _parent));
    }

    public void Dispose()
    {
        _connection.Dispose();
        _database.Dispose();
    }

    private static readonly string[] ColumnNames = ["hash", "subject", "predicate", "object", "object_type", "epoch", "agent",
        "asserted_at", "lsn", "confidence", "support", "candidates"];

    public static TheoryData<string> Columns => new(ColumnNames);

    [Theory]
    [MemberData(nameof(Columns))]
    public void A_column_read_in_place_holds_what_the_staged_read_holds(string column)
    {
        var inPlace = Rows($"SELECT {column} FROM assertions WHERE agent = 'alice' ORDER BY lsn");
        var staged = Rows($"SELECT {column}, 0 AS staged FROM assertions WHERE agent = 'alice' ORDER BY lsn");
        Assert.Equal(7, inPlace.Count);
        Assert.Equal(staged.Select(row => row[..^1]), inPlace);
    }

    [Fact]
    public void Every_column_read_in_place_holds_what_the_staged_read_holds()
    {
        string all = string.Join(", ", ColumnNames);
        var inPlace = Rows("SELECT * FROM assertions WHERE agent = 'alice' ORDER BY lsn DESC LIMIT 5 OFFSET 1");
        var staged = Rows($"SELECT {all}, 0 AS staged FROM assertions WHERE agent = 'alice' ORDER BY lsn DESC LIMIT 5 OFFSET 1");
        Assert.Equal(5, inPlace.Count);
        Assert.Equal(staged.Select(row => row[..^1]), inPlace);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_lookup_by_hash_in_either_case_returns_the_hash_in_lowercase(bool upper)
    {
        string key = upper ? _parent.ToUpperInvariant() : _parent;
        var row = Assert.Single(Rows("SELECT hash, subject FROM assertions WHERE hash = @k", ("@k", key)));
        Assert.Equal([_parent + ":String", "parent:String"], row);
    }

    [Fact]
    public void An_in_place_row_reports_null_and_its_types_like_a_staged_one()
    {
        using var command = new StemeCommand("SELECT confidence, object FROM assertions WHERE predicate = 'p' ORDER BY lsn", _connection);
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        Assert.True(reader.IsDBNull(0));
        Assert.False(reader.IsDBNull(1));
        // The object column's shared type is found by reading every row ahead; the current row must survive that.
        Assert.Equal(typeof(object), reader.GetFieldType(1));
        Assert.Equal("root", reader.GetString(1));
        Assert.True(reader.Read());
        Assert.Equal("text ü ✓", reader.GetValue(1));
        Assert.True(reader.Read());
        Assert.Equal(-42L, reader.GetInt64(1));
    }

    private List<string[]> Rows(string sql, params (string Name, object Value)[] parameters) => ResultRows.Cells(_connection, sql, parameters);

    private string Scalar(string sql, params (string Name, object Value)[] parameters)
    {
        using var command = new StemeCommand(sql, _connection);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return (string)command.ExecuteScalar()!;
    }
}

/// <summary>The suite on the embedded store, which reads in place.</summary>
public sealed class EmbeddedInPlaceReadTests() : InPlaceReadTests(StorageBackend.Named("embedded"));

/// <summary>The suite on PostgreSQL, which reads whole records behind the same cursor.</summary>
public sealed class PostgresInPlaceReadTests() : InPlaceReadTests(StorageBackend.Named("postgres"));
