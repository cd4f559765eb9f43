using System.Data;

namespace StemeQL.Tests.Specification;

/// <summary>StemeDataReader as the ADO.NET specification describes a DbDataReader.</summary>
public sealed class ReaderSpec : SpecFixture
{
    public ReaderSpec()
    {
        StoreObject("'text'");
        new StemeCommand("ASSERT ('w', 'value', 'second')", Connection).ExecuteNonQuery();
    }

    private StemeDataReader PastLastResult()
    {
        var reader = Query("SELECT object FROM assertions");
        Assert.False(reader.NextResult());
        return reader;
    }

    [Fact]
    public void GetValue_throws_InvalidOperationException_when_there_is_no_result_set()
    {
        using var reader = PastLastResult();
        Assert.Throws<InvalidOperationException>(() => reader.GetValue(0));
    }

    [Fact]
    public void GetString_throws_InvalidOperationException_when_there_is_no_result_set()
    {
        using var reader = PastLastResult();
        Assert.Throws<InvalidOperationException>(() => reader.GetString(0));
    }

    [Fact]
    public void GetFieldType_and_GetName_throw_InvalidOperationException_when_there_is_no_result_set()
    {
        using var reader = PastLastResult();
        Assert.Throws<InvalidOperationException>(() => reader.GetFieldType(0));
        Assert.Throws<InvalidOperationException>(() => reader.GetName(0));
    }

    [Fact]
    public void IsDBNull_throws_InvalidOperationException_when_there_is_no_result_set()
    {
        using var reader = PastLastResult();
        Assert.Throws<InvalidOperationException>(() => reader.IsDBNull(0));
    }

    [Fact]
    public void FieldCount_is_zero_and_column_schema_empty_when_there_is_no_result_set()
    {
        using var reader = PastLastResult();
        Assert.Equal(0, reader.FieldCount);
        Assert.Empty(reader.GetColumnSchema());
        Assert.False(reader.Read());
    }

    [Fact]
    public void GetValue_throws_InvalidOperationException_before_Read()
    {
        using var reader = Query("SELECT object FROM assertions");
        Assert.Throws<InvalidOperationException>(() => reader.GetValue(0));
    }

    [Fact]
    public void GetValue_throws_InvalidOperationException_after_the_last_row()
    {
        using var reader = Query("SELECT object FROM assertions WHERE subject = 'v'");
        Assert.True(reader.Read());
        Assert.False(reader.Read());
        Assert.Throws<InvalidOperationException>(() => reader.GetValue(0));
    }

    [Fact]
    public void Getters_throw_InvalidOperationException_when_the_reader_is_closed()
    {
        var reader = ReadObject();
        reader.Dispose();
        Assert.Throws<InvalidOperationException>(() => reader.GetValue(0));
        Assert.Throws<InvalidOperationException>(() => reader.Read());
        Assert.Throws<InvalidOperationException>(() => reader.FieldCount);
    }

    [Fact]
    public void GetName_throws_IndexOutOfRangeException_for_an_ordinal_out_of_range()
    {
        using var reader = ReadObject();
        Assert.Throws<IndexOutOfRangeException>(() => reader.GetName(5));
    }

    [Fact]
    public void GetString_throws_InvalidCastException_on_NULL()
    {
        using var reader = ReadObject();
        Assert.Throws<InvalidCastException>(() => reader.GetString(1));
    }

    [Fact]
    public void GetFieldValue_of_string_throws_InvalidCastException_on_NULL()
    {
        using var reader = ReadObject();
        Assert.Throws<InvalidCastException>(() => reader.GetFieldValue<string>(1));
    }

    [Fact]
    public void GetFieldValue_of_a_nullable_value_type_is_null_on_NULL()
    {
        using var reader = ReadObject();
        Assert.Null(reader.GetFieldValue<double?>(1));
    }

    [Fact]
    public void GetFieldValue_of_DBNull_throws_InvalidCastException_when_not_NULL()
    {
        using var reader = ReadObject();
        Assert.Throws<InvalidCastException>(() => reader.GetFieldValue<DBNull>(0));
    }

    [Fact]
    public void GetValues_throws_ArgumentNullException_for_a_null_array()
    {
        using var reader = ReadObject();
        Assert.Throws<ArgumentNullException>(() => reader.GetValues(null!));
    }

    [Fact]
    public void GetTextReader_reads_a_text_value()
    {
        using var reader = ReadObject();
        using var text = reader.GetTextReader(0);
        Assert.Equal("text", text.ReadToEnd());
    }

    [Fact]
    public void GetFieldValue_of_TextReader_reads_a_text_value()
    {
        using var reader = ReadObject();
        using var text = reader.GetFieldValue<TextReader>(0);
        Assert.Equal("text", text.ReadToEnd());
    }

    [Fact]
    public void GetTextReader_throws_InvalidCastException_on_NULL()
    {
        using var reader = ReadObject();
        Assert.Throws<InvalidCastException>(() => reader.GetTextReader(1));
    }

    [Fact]
    public void GetChars_returns_the_length_when_the_buffer_is_null()
    {
        using var reader = ReadObject();
        Assert.Equal(4, reader.GetChars(0, 0, null, 0, 0));
    }

    [Fact]
    public void GetChars_reads_nothing_when_the_data_offset_is_past_the_end()
    {
        using var reader = ReadObject();
        Assert.Equal(0, reader.GetChars(0, 6, new char[4], 0, 4));
    }

    [Fact]
    public void GetChars_throws_when_the_buffer_offset_is_negative_or_too_large()
    {
        using var reader = ReadObject();
        Assert.Throws<ArgumentOutOfRangeException>(() => reader.GetChars(0, 0, new char[4], -1, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => reader.GetChars(0, 0, new char[4], 5, 0));
    }

    [Fact]
    public void GetChars_throws_ArgumentException_when_the_copy_runs_past_the_buffer()
    {
        using var reader = ReadObject();
        Assert.Throws<ArgumentException>(() => reader.GetChars(0, 0, new char[4], 2, 3));
    }

    [Fact]
    public void SingleRow_returns_one_row()
    {
        using var reader = new StemeCommand("SELECT object FROM assertions", Connection).ExecuteReader(CommandBehavior.SingleRow);
        Assert.True(reader.Read());
        Assert.False(reader.Read());
    }

    [Fact]
    public void SingleRow_returns_one_result_set()
    {
        using var reader = new StemeCommand("SELECT object FROM assertions; SELECT subject FROM assertions", Connection).ExecuteReader(CommandBehavior.SingleRow);
        Assert.True(reader.Read());
        Assert.False(reader.NextResult());
    }

    [Fact]
    public void SingleResult_returns_one_result_set()
    {
        using var reader = new StemeCommand("SELECT object FROM assertions; SELECT subject FROM assertions", Connection).ExecuteReader(CommandBehavior.SingleResult);
        Assert.True(reader.Read());
        Assert.True(reader.Read());
        Assert.False(reader.NextResult());
    }

    [Fact]
    public void SingleResult_still_runs_the_writes_after_the_first_result_set()
    {
        using (var reader = new StemeCommand("SELECT object FROM assertions; ASSERT ('x', 'p', 1)", Connection).ExecuteReader(CommandBehavior.SingleResult))
        {
            Assert.False(reader.NextResult());
        }
        Assert.Equal(3, CountAssertions());
    }

    [Fact]
    public void SchemaOnly_gives_the_columns_and_no_rows()
    {
        using var reader = new StemeCommand("SELECT subject, lsn FROM assertions", Connection).ExecuteReader(CommandBehavior.SchemaOnly);
        Assert.Equal(["subject", "lsn"], [reader.GetName(0), reader.GetName(1)]);
        Assert.Equal(typeof(long), reader.GetFieldType(1));
        Assert.False(reader.Read());
    }

    [Fact]
    public void SchemaOnly_does_not_write()
    {
        using (var reader = new StemeCommand("ASSERT ('x', 'p', 1)", Connection).ExecuteReader(CommandBehavior.SchemaOnly))
        {
            Assert.Equal("hash", reader.GetName(0));
        }
        Assert.Equal(2, CountAssertions());
    }

    [Fact]
    public void KeyInfo_reads_like_the_default_behaviour()
    {
        using var reader = new StemeCommand("SELECT object FROM assertions", Connection).ExecuteReader(CommandBehavior.KeyInfo);
        Assert.True(reader.Read());
        Assert.True(reader.Read());
        Assert.False(reader.Read());
    }

    [Fact]
    public void CloseConnection_closes_the_connection_with_the_reader()
    {
        new StemeCommand("SELECT object FROM assertions", Connection).ExecuteReader(CommandBehavior.CloseConnection).Dispose();
        Assert.Equal(ConnectionState.Closed, Connection.State);
    }

    [Fact]
    public async Task ReadAsync_returns_a_cancelled_task_for_a_cancelled_token()
    {
        using var reader = Query("SELECT object FROM assertions");
        var task = reader.ReadAsync(Cancelled);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
        Assert.True(task.IsCanceled);
    }

    [Fact]
    public async Task NextResultAsync_returns_a_cancelled_task_for_a_cancelled_token()
    {
        using var reader = Query("SELECT object FROM assertions");
        var task = reader.NextResultAsync(Cancelled);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
        Assert.True(task.IsCanceled);
    }

    [Fact]
    public async Task GetFieldValueAsync_and_IsDBNullAsync_return_cancelled_tasks_for_a_cancelled_token()
    {
        using var reader = ReadObject();
        Assert.True(reader.GetFieldValueAsync<string>(0, Cancelled).IsCanceled);
        Assert.True(reader.IsDBNullAsync(0, Cancelled).IsCanceled);
        Assert.Equal("text", await reader.GetFieldValueAsync<string>(0));
    }

    [Fact]
    public async Task ReadAsync_returns_a_faulted_task_when_the_reader_is_closed()
    {
        var reader = Query("SELECT object FROM assertions");
        reader.Close();
        var task = reader.ReadAsync();
        await Assert.ThrowsAsync<InvalidOperationException>(() => task);
        Assert.True(task.IsFaulted);
    }
}
