using System.Data;
using Dapper;
using StemeQL.Tests.Support;

namespace StemeQL.Tests.EndToEnd;

public sealed record TextFact(string Subject, string Predicate, string Object, double Confidence);

public sealed record IntegerFact(string Subject, long Object);

public sealed record TypedObjects(string Text, long Integer, double Real, bool Boolean, byte[] Bytes);

public sealed record Stamped(string Hash, DateTime AssertedAt, long Lsn);

public sealed class TypedRow
{
    public string Subject { get; set; } = "";
    public string? Text { get; set; }
    public long Integer { get; set; }
    public double Real { get; set; }
    public bool Boolean { get; set; }
    public byte[]? Bytes { get; set; }
    public DateTime AssertedAt { get; set; }
    public DateTimeOffset Seen { get; set; }
}

/// <summary>Column types that Dapper, DataTable and ORMs can map: typed conversions and the object column's shared type.</summary>
public abstract class DapperTypedColumnTests : IDisposable
{
    private const string TypedSelect =
        "SELECT to_text(object) AS text, to_integer(object) AS integer, to_real(object) AS real, " +
        "to_boolean(object) AS boolean, to_bytes(object) AS bytes FROM assertions WHERE subject = @s";

    private readonly TestDatabase _database;

    private protected DapperTypedColumnTests(StorageBackend backend) => _database = backend.CreateDatabase();

    [Fact]
    public void Object_column_reports_the_type_every_value_shares()
    {
        using var connection = _database.Open("alice");
        connection.Execute("ASSERT ('paris', 'population', 2102650), ('rome', 'population', 2746984)");
        using var reader = connection.ExecuteReader("SELECT subject, object FROM assertions WHERE predicate = 'population'");
        Assert.Equal(typeof(long), reader.GetFieldType(1));
    }

    [Fact]
    public void Object_column_reports_object_when_values_differ_in_type()
    {
        using var connection = _database.Open("alice");
        connection.Execute("ASSERT ('paris', 'capital_of', 'france'), ('paris', 'population', 2102650)");
        using var reader = connection.ExecuteReader("SELECT object FROM assertions WHERE subject = 'paris'");
        Assert.Equal(typeof(object), reader.GetFieldType(0));
    }

    [Fact]
    public void Object_column_reports_object_on_an_empty_result()
    {
        using var connection = _database.Open("alice");
        using var reader = connection.ExecuteReader("SELECT object FROM assertions");
        Assert.Equal(typeof(object), reader.GetFieldType(0));
    }

    [Fact]
    public void Reader_still_returns_every_row_after_the_shared_type_is_worked_out()
    {
        using var connection = _database.Open("alice");
        connection.Execute("ASSERT ('a', 'n', 1), ('b', 'n', 2), ('c', 'n', 3)");
        using var reader = connection.ExecuteReader("SELECT object FROM assertions ORDER BY object");
        Assert.True(reader.Read());
        Assert.Equal(typeof(long), reader.GetFieldType(0));
        var values = new List<long> { reader.GetInt64(0) };
        while (reader.Read()) values.Add(reader.GetInt64(0));
        Assert.Equal([1L, 2L, 3L], values);
    }

    [Fact]
    public void Object_column_type_name_is_the_shared_type_on_every_row()
    {
        using var connection = _database.Open("alice");
        connection.Execute("ASSERT ('paris', 'population', 2102650), ('rome', 'population', 2746984)");
        using var reader = connection.ExecuteReader("SELECT object FROM assertions WHERE predicate = 'population'");
        var names = new List<string> { reader.GetDataTypeName(0) };
        while (reader.Read()) names.Add(reader.GetDataTypeName(0));
        Assert.Equal(["integer", "integer", "integer"], names);
    }

    [Fact]
    public void Object_column_type_name_is_object_when_values_differ_whichever_row_is_current()
    {
        using var connection = _database.Open("alice");
        connection.Execute("ASSERT ('paris', 'capital_of', 'france'), ('paris', 'population', 2102650)");
        using var reader = connection.ExecuteReader("SELECT object FROM assertions WHERE subject = 'paris' ORDER BY predicate");
        Assert.True(reader.Read());
        Assert.Equal(("object", typeof(object)), (reader.GetDataTypeName(0), reader.GetFieldType(0)));
        Assert.True(reader.Read());
        Assert.Equal(("object", typeof(object)), (reader.GetDataTypeName(0), reader.GetFieldType(0)));
    }

    [Fact]
    public void Column_schema_type_name_agrees_with_the_reader_for_the_object_column()
    {
        using var connection = _database.Open("alice");
        connection.Execute("ASSERT ('a', 'n', 1.5)");
        using var command = new StemeCommand("SELECT object FROM assertions", connection);
        using var reader = command.ExecuteReader();
        Assert.Equal("real", reader.GetDataTypeName(0));
        Assert.Equal("real", reader.GetColumnSchema()[0].DataTypeName);
    }

    [Fact]
    public void Object_column_holding_a_large_object_reports_bytes_without_loading_it()
    {
        using var connection = _database.Open("alice");
        connection.Execute("ASSERT ('doc', 'body', @b)", new { b = new byte[200_000] });
        using var command = new StemeCommand("SELECT object FROM assertions", connection);
        using var reader = command.ExecuteReader();
        Assert.Equal((typeof(byte[]), "bytes"), (reader.GetFieldType(0), reader.GetDataTypeName(0)));
    }

    [Fact]
    public void Typed_conversions_have_their_type_on_an_empty_result()
    {
        using var connection = _database.Open("alice");
        using var reader = connection.ExecuteReader(TypedSelect, new { s = "nobody" });
        Assert.Equal([typeof(string), typeof(long), typeof(double), typeof(bool), typeof(byte[])],
            Enumerable.Range(0, reader.FieldCount).Select(reader.GetFieldType));
    }

    [Fact]
    public void GetSchemaTable_and_GetColumnSchema_agree_with_GetFieldType()
    {
        using var connection = _database.Open("alice");
        connection.Execute("ASSERT ('a', 'n', 1.5)");
        using var command = new StemeCommand("SELECT subject, object, lsn FROM assertions", connection);
        using var reader = command.ExecuteReader();
        Assert.Equal([typeof(string), typeof(double), typeof(long)], reader.GetColumnSchema().Select(c => c.DataType));
        Assert.Equal([typeof(string), typeof(double), typeof(long)],
            reader.GetSchemaTable().Rows.Cast<DataRow>().Select(r => (Type)r["DataType"]));
    }

    [Fact]
    public void DataTable_loads_a_typed_object_column()
    {
        using var connection = _database.Open("alice");
        connection.Execute("ASSERT ('a', 'n', 7)");
        var table = new DataTable();
        table.Load(connection.ExecuteReader("SELECT subject, object FROM assertions"));
        Assert.Equal(typeof(long), table.Columns["object"]!.DataType);
        Assert.Equal(7L, table.Rows[0]["object"]);
    }

    [Fact]
    public void Record_with_a_string_object_maps_an_empty_result_through_to_text()
    {
        using var connection = _database.Open("alice");
        var facts = connection.Query<TextFact>(
            "SELECT subject, predicate, to_text(object) AS object, confidence FROM assertions USING LENS consensus WHERE subject = @s",
            new { s = "nobody" });
        Assert.Empty(facts);
    }

    [Fact]
    public void Record_with_a_string_object_reads_numbers_as_text_through_to_text()
    {
        using var connection = _database.Open("alice");
        connection.Execute("ASSERT ('paris', 'capital_of', 'france'), ('paris', 'population', 2102650)");
        var facts = connection.Query<TextFact>(
            "SELECT subject, predicate, to_text(object) AS object, confidence FROM assertions USING LENS consensus WHERE subject = @s ORDER BY predicate",
            new { s = "paris" }).ToList();
        Assert.Equal(["france", "2102650"], facts.Select(f => f.Object));
    }

    [Fact]
    public void Record_with_a_long_object_maps_when_every_object_is_an_integer()
    {
        using var connection = _database.Open("alice");
        connection.Execute("ASSERT ('paris', 'population', 2102650), ('rome', 'population', 2746984)");
        var facts = connection.Query<IntegerFact>(
            "SELECT subject, object FROM assertions USING LENS consensus WHERE predicate = 'population' ORDER BY subject").ToList();
        Assert.Equal([new IntegerFact("paris", 2102650), new IntegerFact("rome", 2746984)], facts);
    }

    [Fact]
    public void Record_with_every_typed_member_maps_an_empty_result()
    {
        using var connection = _database.Open("alice");
        Assert.Empty(connection.Query<TypedObjects>(TypedSelect, new { s = "nobody" }));
    }

    [Fact]
    public void Record_with_every_typed_member_maps_each_kind_of_object()
    {
        using var connection = _database.Open("alice");
        connection.Execute("ASSERT ('x', 'text', 'hello'), ('x', 'integer', 42), ('x', 'real', 2.5), ('x', 'boolean', TRUE), ('x', 'bytes', @b)",
            new { b = new byte[] { 1, 2 } });
        var rows = connection.Query<TypedObjects>(TypedSelect + " ORDER BY predicate", new { s = "x" }).ToList();
        // predicate order: boolean, bytes, integer, real, text
        Assert.Equal("true", rows[0].Text);
        Assert.True(rows[0].Boolean);
        Assert.Equal(new byte[] { 1, 2 }, rows[1].Bytes);
        Assert.Equal(42L, rows[2].Integer);
        Assert.Equal(42.0, rows[2].Real);
        Assert.Equal(2.5, rows[3].Real);
        Assert.Equal("hello", rows[4].Text);
        Assert.Null(rows[4].Bytes);
    }

    [Fact]
    public void Record_maps_timestamps_to_DateTime_on_empty_and_non_empty_results()
    {
        using var connection = _database.Open("alice");
        const string sql = "SELECT hash, asserted_at AS assertedat, lsn FROM assertions WHERE subject = @s";
        Assert.Empty(connection.Query<Stamped>(sql, new { s = "a" }));
        connection.Execute("ASSERT ('a', 'p', 'o')");
        var row = Assert.Single(connection.Query<Stamped>(sql, new { s = "a" }));
        Assert.Equal(DateTimeKind.Utc, row.AssertedAt.Kind);
        Assert.InRange(row.AssertedAt, DateTime.UtcNow.AddMinutes(-5), DateTime.UtcNow.AddMinutes(1));
    }

    [Fact]
    public void Class_maps_every_typed_member_including_DateTimeOffset()
    {
        using var connection = _database.Open("alice");
        connection.Execute("ASSERT ('x', 'n', 42)");
        var row = connection.QuerySingle<TypedRow>(
            "SELECT subject, to_text(object) AS text, object AS integer, to_real(object) AS real, asserted_at AS assertedat, asserted_at AS seen FROM assertions");
        Assert.Equal(("x", "42", 42L, 42.0), (row.Subject, row.Text, row.Integer, row.Real));
        Assert.Equal(row.AssertedAt, row.Seen.UtcDateTime);
    }

    [Fact]
    public void Class_with_a_string_member_reads_a_mixed_object_column_through_to_text()
    {
        using var connection = _database.Open("alice");
        connection.Execute("ASSERT ('paris', 'capital_of', 'france'), ('paris', 'population', 2102650)");
        var rows = connection.Query<TypedRow>("SELECT subject, to_text(object) AS text FROM assertions ORDER BY predicate").ToList();
        Assert.Equal(["france", "2102650"], rows.Select(r => r.Text));
    }

    public void Dispose() => _database.Dispose();
}

/// <summary>The suite on the embedded store.</summary>
public sealed class EmbeddedDapperTypedColumnTests() : DapperTypedColumnTests(StorageBackend.Named("embedded"));

/// <summary>The suite on PostgreSQL.</summary>
public sealed class PostgresDapperTypedColumnTests() : DapperTypedColumnTests(StorageBackend.Named("postgres"));
