using Microsoft.Data.Sqlite;
using StemeQL.Storage.Embedded;

namespace StemeQL.Storage.Tests;

/// <summary>
/// The write path's statements bind straight into SQLite (<see cref="SqliteNative"/>): each kind of value must reach the
/// table as SQLitePCLRaw bound it, or a value written now would not equal the same value written before.
/// </summary>
public sealed class PreparedSqlBindingTests : IDisposable
{
    private readonly SqliteConnection _connection;

    public PreparedSqlBindingTests()
    {
        SqliteRuntime.EnsureInitialised();
        _connection = new SqliteConnection("Data Source=:memory:");
        _connection.Open();
    }

    public void Dispose() => _connection.Dispose();

    // SQLite's type of the value a bound insert stored, and the value as it reads back.
    private (string Type, object? Value) RoundTrip(Action<PreparedSql> bind)
    {
        SqliteRuntime.Execute(_connection, "CREATE TABLE IF NOT EXISTS t(v)");
        SqliteRuntime.Execute(_connection, "DELETE FROM t");
        using (var insert = new PreparedSql(_connection, "INSERT INTO t(v) VALUES ($v)", "v"))
        {
            bind(insert);
            Assert.Equal(1, insert.ExecuteBound());
        }
        using var read = _connection.CreateCommand();
        read.CommandText = "SELECT typeof(v), v FROM t";
        using var reader = read.ExecuteReader();
        Assert.True(reader.Read());
        return (reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetValue(1));
    }

    [Theory]
    [InlineData("")]
    [InlineData("paris")]
    [InlineData("a\0b")]
    [InlineData("\uFEFFbom first")]
    [InlineData("\uFFFEswapped mark first")]
    [InlineData("é ü 中文 🙂")]
    public void Text_reads_back_as_the_same_text(string text)
    {
        Assert.Equal(("text", (object?)text), RoundTrip(s => s.Bind(0, text)));
        Assert.Equal(("text", (object?)text), RoundTrip(s => s.Bind(0, (object?)text)));
    }

    [Fact]
    public void An_empty_byte_array_is_an_empty_blob_not_null()
    {
        var (type, value) = RoundTrip(s => s.Bind(0, (object?)Array.Empty<byte>()));
        Assert.Equal("blob", type);
        Assert.Equal(Array.Empty<byte>(), value);
        Assert.Equal("blob", RoundTrip(s => s.Bind(0, ReadOnlySpan<byte>.Empty)).Type);
    }

    [Fact]
    public void Numbers_blobs_and_null_read_back_as_bound()
    {
        Assert.Equal(("integer", (object?)long.MinValue), RoundTrip(s => s.Bind(0, long.MinValue)));
        Assert.Equal(("real", (object?)0.25), RoundTrip(s => s.Bind(0, 0.25)));
        var (type, bytes) = RoundTrip(s => s.Bind(0, new byte[] { 1, 0, 2 }.AsSpan()));
        Assert.Equal("blob", type);
        Assert.Equal(new byte[] { 1, 0, 2 }, (byte[])bytes!);
        Assert.Equal(("null", (object?)null), RoundTrip(s => s.Bind(0, (object?)null)));
        Assert.Equal(("integer", (object?)1L), RoundTrip(s => s.Bind(0, (object?)true)));
    }
}
