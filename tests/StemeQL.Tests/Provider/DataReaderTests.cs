using System.Data;
using StemeQL.Tests.Support;

namespace StemeQL.Tests.Provider;

public abstract class DataReaderTests : IDisposable
{
    private readonly TestDatabase _database;
    private readonly StemeConnection _connection;

    private protected DataReaderTests(StorageBackend backend)
    {
        _database = backend.CreateDatabase();
        _connection = _database.Open("alice");
        new StemeCommand("ASSERT ('bob', 'age', 42), ('bob', 'height_m', 1.82), ('bob', 'member', TRUE), ('bob', 'name', 'Bob')", _connection)
            .ExecuteNonQuery();
    }

    private StemeDataReader Read(string sql) => new StemeCommand(sql, _connection).ExecuteReader();

    [Fact]
    public void Typed_getters_read_each_column_type()
    {
        using var reader = Read("SELECT hash, object, lsn, asserted_at, confidence FROM assertions USING LENS consensus WHERE subject = 'bob' AND predicate = 'age'");
        Assert.True(reader.Read());
        Assert.Equal(64, reader.GetString(0).Length);
        Assert.Equal(42L, reader.GetInt64(1));
        Assert.Equal(42, reader.GetInt32(1));
        Assert.Equal((short)42, reader.GetInt16(1));
        Assert.Equal(42.0, reader.GetDouble(1));
        Assert.Equal(42m, reader.GetDecimal(1));
        Assert.Equal(1L, reader.GetInt64(2));
        Assert.Equal(DateTimeKind.Utc, reader.GetDateTime(3).Kind);
        Assert.InRange(reader.GetDateTime(3), DateTime.UtcNow.AddMinutes(-5), DateTime.UtcNow.AddMinutes(1));
        Assert.Equal(1.0, reader.GetFloat(4));
        Assert.Equal(typeof(long), reader.GetFieldType(2));
        Assert.Equal("integer", reader.GetDataTypeName(2));
        Assert.Equal(typeof(DateTime), reader.GetFieldType(3));
    }

    [Fact]
    public void GetFieldValue_converts_and_handles_null()
    {
        using var reader = Read("SELECT object, confidence, lsn FROM assertions WHERE predicate = 'member'");
        Assert.True(reader.Read());
        Assert.True(reader.GetFieldValue<bool>(0));
        Assert.True(reader.GetBoolean(0));
        Assert.Null(reader.GetFieldValue<double?>(1));
        Assert.Equal(DBNull.Value, reader.GetFieldValue<object>(1));
        Assert.Throws<InvalidCastException>(() => reader.GetFieldValue<double>(1));
        Assert.Throws<InvalidCastException>(() => reader.GetDateTime(2));
        Assert.Equal(3, reader.GetFieldValue<int?>(2));
        Assert.True(reader.IsDBNull(1));
        Assert.Equal(DBNull.Value, reader.GetValue(1));
    }

    [Fact]
    public void Ordinals_and_names_are_found_case_insensitively()
    {
        using var reader = Read("SELECT subject, object AS value FROM assertions");
        Assert.Equal(0, reader.GetOrdinal("SUBJECT"));
        Assert.Equal(1, reader.GetOrdinal("value"));
        Assert.Equal("value", reader.GetName(1));
        Assert.Throws<IndexOutOfRangeException>(() => reader.GetOrdinal("nope"));
        Assert.Throws<IndexOutOfRangeException>(() => reader.GetName(2));
        Assert.True(reader.Read());
        Assert.Equal("bob", reader["subject"]);
        Assert.Throws<IndexOutOfRangeException>(() => reader.GetValue(-1));
    }

    [Fact]
    public void Getters_before_Read_and_after_the_last_row_throw_InvalidOperationException()
    {
        using var reader = Read("SELECT subject FROM assertions WHERE predicate = 'age'");
        Assert.True(reader.HasRows);
        Assert.Throws<InvalidOperationException>(() => reader.GetValue(0));
        Assert.True(reader.Read());
        Assert.False(reader.Read());
        Assert.Throws<InvalidOperationException>(() => reader.GetValue(0));
    }

    [Fact]
    public void Closed_reader_throws_but_keeps_RecordsAffected()
    {
        var reader = Read("ASSERT ('x', 'p', 'o'); SELECT subject FROM assertions");
        reader.Dispose();
        Assert.True(reader.IsClosed);
        Assert.Equal(1, reader.RecordsAffected);
        Assert.Throws<InvalidOperationException>(() => reader.Read());
        Assert.Throws<InvalidOperationException>(() => reader.NextResult());
        Assert.Throws<InvalidOperationException>(() => reader.FieldCount);
    }

    [Fact]
    public void Closing_a_reader_early_still_runs_the_remaining_statements()
    {
        using (var reader = Read("SELECT subject FROM assertions; ASSERT ('late', 'p', 'o')"))
            Assert.True(reader.Read());
        Assert.Equal("late", new StemeCommand("SELECT subject FROM assertions WHERE subject = 'late'", _connection).ExecuteScalar());
    }

    [Fact]
    public void HasRows_is_false_for_an_empty_result()
    {
        using var reader = Read("SELECT subject FROM assertions WHERE subject = 'nobody'");
        Assert.False(reader.HasRows);
        Assert.False(reader.Read());
        Assert.Equal(-1, reader.RecordsAffected);
    }

    [Fact]
    public void GetValues_and_the_enumerator_read_whole_rows()
    {
        using var reader = Read("SELECT subject, predicate FROM assertions ORDER BY predicate LIMIT 2");
        var rows = reader.Cast<IDataRecord>().Select(r =>
        {
            var values = new object[3];
            Assert.Equal(2, r.GetValues(values));
            return (string)values[1];
        }).ToList();
        Assert.Equal(["age", "height_m"], rows);
    }

    [Fact]
    public void GetBytes_and_GetChars_copy_ranges()
    {
        new StemeCommand("ASSERT ('blob', 'data', X'00010203')", _connection).ExecuteNonQuery();
        using var reader = Read("SELECT object, subject FROM assertions WHERE subject = 'blob'");
        Assert.True(reader.Read());
        Assert.Equal(4, reader.GetBytes(0, 0, null, 0, 0));
        var buffer = new byte[2];
        Assert.Equal(2, reader.GetBytes(0, 1, buffer, 0, 2));
        Assert.Equal(new byte[] { 1, 2 }, buffer);
        var chars = new char[3];
        Assert.Equal(3, reader.GetChars(1, 1, chars, 0, 10));
        Assert.Equal("lob", new string(chars));
        Assert.Equal("bytes", reader.GetDataTypeName(0));
    }

    [Fact]
    public void Column_schema_describes_each_column()
    {
        using var reader = Read("SELECT subject, lsn, object FROM assertions");
        var schema = reader.GetColumnSchema();
        Assert.Equal(["subject", "lsn", "object"], schema.Select(c => c.ColumnName));
        Assert.Equal([typeof(string), typeof(long), typeof(object)], schema.Select(c => c.DataType));
        Assert.Equal([0, 1, 2], schema.Select(c => c.ColumnOrdinal ?? -1));
        var table = reader.GetSchemaTable();
        Assert.Equal(3, table.Rows.Count);
        Assert.Equal("lsn", table.Rows[1]["ColumnName"]);
    }

    [Fact]
    public void CloseConnection_behaviour_closes_the_connection_with_the_reader()
    {
        using var connection = _database.Open();
        using (var reader = new StemeCommand("SELECT subject FROM assertions", connection).ExecuteReader(CommandBehavior.CloseConnection))
            reader.Read();
        Assert.Equal(ConnectionState.Closed, connection.State);
    }

    [Fact]
    public void Large_results_are_read_in_lsn_order()
    {
        var values = string.Join(", ", Enumerable.Range(0, 500).Select(i => $"('s{i}', 'n', {i})"));
        new StemeCommand($"ASSERT {values}", _connection).ExecuteNonQuery();
        using var reader = Read("SELECT object FROM assertions WHERE predicate = 'n'");
        int n = 0;
        while (reader.Read()) Assert.Equal(n++, reader.GetInt32(0));
        Assert.Equal(500, n);
    }

    public void Dispose()
    {
        _connection.Dispose();
        _database.Dispose();
    }
}

/// <summary>The suite on the embedded store.</summary>
public sealed class EmbeddedDataReaderTests() : DataReaderTests(StorageBackend.Named("embedded"));

/// <summary>The suite on PostgreSQL.</summary>
public sealed class PostgresDataReaderTests() : DataReaderTests(StorageBackend.Named("postgres"));
