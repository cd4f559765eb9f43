using System.Data;
using StemeQL.Tests.Support;

namespace StemeQL.Tests.Provider;

public abstract class ParameterTests : IDisposable
{
    private readonly TestDatabase _database;

    private protected ParameterTests(StorageBackend backend) => _database = backend.CreateDatabase();

    /// <summary>One table of sample values drives the parameter round trip (CLR in, CLR out, object_type).</summary>
    public static TheoryData<object, object, string> Samples => new()
    {
        { "text", "text", "text" },
        { "", "", "text" },
        { "ünïcødé ✓", "ünïcødé ✓", "text" },
        { 'c', "c", "text" },
        { 42, 42L, "integer" },
        { (short)-7, -7L, "integer" },
        { (byte)255, 255L, "integer" },
        { long.MinValue, long.MinValue, "integer" },
        { 3.25, 3.25, "real" },
        { 1.5f, 1.5, "real" },
        { 2.5m, 2.5, "real" },
        { true, true, "boolean" },
        { false, false, "boolean" },
        { new byte[] { 0, 1, 255 }, new byte[] { 0, 1, 255 }, "bytes" },
        { Guid.Empty, Guid.Empty.ToString(), "text" },
    };

    [Theory]
    [MemberData(nameof(Samples))]
    public void Parameter_values_round_trip_as_objects(object value, object expected, string objectType)
    {
        using var connection = _database.Open();
        using var command = new StemeCommand("ASSERT ('s', 'p', @o); SELECT object, object_type FROM assertions WHERE subject = 's'", connection);
        command.Parameters.AddWithValue("@o", value);
        using var reader = command.ExecuteReader();
        Assert.True(reader.NextResult());
        Assert.True(reader.Read());
        Assert.Equal(expected, reader.GetValue(0));
        Assert.Equal(expected.GetType(), reader.GetFieldType(0));
        Assert.Equal(objectType, reader.GetString(1));
    }

    [Theory]
    [InlineData("s")]
    [InlineData("@s")]
    [InlineData("S")]
    public void ParameterName_matches_with_or_without_at(string name)
    {
        using var connection = _database.Open();
        using var command = new StemeCommand("ASSERT (@s, 'p', 'o'); SELECT subject FROM assertions WHERE subject = @S", connection);
        command.Parameters.AddWithValue(name, "x");
        using (var reader = command.ExecuteReader())
        {
            Assert.True(reader.NextResult());
            Assert.True(reader.Read());
            Assert.Equal("x", reader.GetString(0));
        }
        Assert.True(command.Parameters.Contains("@s"));
        Assert.True(command.Parameters.Contains("s"));
    }

    [Fact]
    public void DBNull_binds_as_NULL()
    {
        using var connection = _database.Open();
        new StemeCommand("ASSERT ('s', 'p', 'o')", connection).ExecuteNonQuery();
        using var command = new StemeCommand("SELECT subject FROM assertions WHERE @v IS NULL", connection);
        command.Parameters.Add(new StemeParameter("v", DBNull.Value));
        Assert.Equal("s", command.ExecuteScalar());
    }

    [Fact]
    public void A_parameter_is_a_value_never_text()
    {
        using var connection = _database.Open();
        using var command = new StemeCommand("ASSERT (@s, 'p', 'o')", connection);
        command.Parameters.AddWithValue("s", "x'); VOTE 'y");
        command.ExecuteNonQuery();
        Assert.Equal("x'); VOTE 'y", new StemeCommand("SELECT subject FROM assertions", connection).ExecuteScalar());
    }

    public enum HugeEnum : ulong
    {
        Huge = ulong.MaxValue,
    }

    public static TheoryData<object> Unstorable => new()
    {
        ulong.MaxValue,
        (ulong)long.MaxValue + 1,
        HugeEnum.Huge,
    };

    [Theory]
    [MemberData(nameof(Unstorable))]
    public void Unstorable_value_fails_with_InvalidParameterValue_only_when_a_statement_uses_it(object value)
    {
        using var connection = _database.Open();
        using var used = new StemeCommand("ASSERT ('s', 'p', @o)", connection);
        used.Parameters.AddWithValue("o", value);
        Assert.Equal(StemeErrorCode.InvalidParameterValue, Assert.Throws<StemeException>(() => used.ExecuteNonQuery()).ErrorCode);

        using var unused = new StemeCommand("ASSERT ('s', 'p', 'o')", connection);
        unused.Parameters.AddWithValue("o", value);
        Assert.Equal(1, unused.ExecuteNonQuery());
    }

    [Theory]
    [InlineData((ulong)long.MaxValue, long.MaxValue)]
    [InlineData((ulong)0, 0L)]
    public void Ulong_within_the_long_range_binds_as_an_integer(ulong value, long expected)
    {
        using var connection = _database.Open();
        using var command = new StemeCommand("ASSERT ('s', 'p', @o)", connection);
        command.Parameters.AddWithValue("o", value);
        command.ExecuteNonQuery();
        Assert.Equal(expected, new StemeCommand("SELECT object FROM assertions", connection).ExecuteScalar());
    }

    [Fact]
    public void Decimal_extremes_bind_as_reals()
    {
        using var connection = _database.Open();
        using var command = new StemeCommand("ASSERT ('s', 'max', @max), ('s', 'min', @min)", connection);
        command.Parameters.AddWithValue("max", decimal.MaxValue);
        command.Parameters.AddWithValue("min", decimal.MinValue);
        command.ExecuteNonQuery();
        Assert.Equal((double)decimal.MaxValue, new StemeCommand("SELECT object FROM assertions WHERE predicate = 'max'", connection).ExecuteScalar());
    }

    public void Dispose() => _database.Dispose();
}

/// <summary>The suite on the embedded store, and the tests that open no store.</summary>
public sealed class EmbeddedParameterTests() : ParameterTests(StorageBackend.Named("embedded"))
{
    // The tests that open no store run once, here: on PostgreSQL they would test nothing more.

    [Fact]
    public void DbType_never_throws()
    {
        var parameter = new StemeParameter();
        foreach (DbType type in Enum.GetValues<DbType>())
        {
            parameter.DbType = type;
            Assert.Equal(type, parameter.DbType);
        }
        parameter.ResetDbType();
    }

    [Fact]
    public void Only_input_parameters_are_supported()
    {
        var parameter = new StemeParameter();
        Assert.Equal(ParameterDirection.Input, parameter.Direction);
        Assert.Throws<ArgumentException>(() => parameter.Direction = ParameterDirection.Output);
    }

    [Fact]
    public void Collection_supports_the_list_operations()
    {
        using var command = new StemeCommand();
        var a = command.Parameters.AddWithValue("a", 1);
        command.Parameters.Add(new StemeParameter("@b", 2));
        Assert.Equal(2, command.Parameters.Count);
        Assert.Equal(0, command.Parameters.IndexOf("@a"));
        Assert.Equal(1, command.Parameters.IndexOf("b"));
        Assert.Same(a, command.Parameters["a"]);
        command.Parameters.RemoveAt("a");
        Assert.Equal(-1, command.Parameters.IndexOf(a));
        Assert.Throws<IndexOutOfRangeException>(() => command.Parameters["zzz"]);
        Assert.Throws<InvalidCastException>(() => command.Parameters.Add("not a parameter"));
        command.Parameters.Clear();
        Assert.Empty(command.Parameters);
    }
}

/// <summary>The suite on PostgreSQL.</summary>
public sealed class PostgresParameterTests() : ParameterTests(StorageBackend.Named("postgres"));
