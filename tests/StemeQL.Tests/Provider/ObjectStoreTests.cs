using System.Security.Cryptography;
using StemeQL.Tests.Support;
using StemeQL.TestSupport;

namespace StemeQL.Tests.Provider;

/// <summary>Large bytes values through ADO.NET: ASSERT with a byte[] or Stream parameter, read back with GetStream / GetBytes.</summary>
public sealed class ObjectStoreTests : IDisposable
{
    private const string Select = "SELECT object FROM assertions WHERE subject = 'doc'";
    private readonly TempFolderDatabase _database = new();
    private readonly List<StemeConnection> _connections = [];

    public void Dispose()
    {
        foreach (var connection in _connections) connection.Dispose();
        _database.Dispose();
    }

    [Fact]
    public void Assert_keeps_a_bytes_parameter_above_the_threshold_in_the_objects_folder()
    {
        var bytes = Random(100_000, seed: 1);
        var connection = Open();
        Assert(connection, bytes);
        Xunit.Assert.Single(ObjectFiles());
        Xunit.Assert.Equal(bytes, ReadStream(connection));
    }

    [Fact]
    public void Bytes_at_the_threshold_stay_in_the_row()
    {
        var connection = Open(threshold: 1000);
        Assert(connection, Random(1000, seed: 2));
        Xunit.Assert.Empty(ObjectFiles());
    }

    [Fact]
    public void An_assertion_hash_is_the_same_whether_its_bytes_are_inline_or_in_the_object_store()
    {
        var bytes = Random(100_000, seed: 3);
        string external = Assert(Open(), bytes);
        using var other = new TempFolderDatabase();
        using var inline = new StemeConnection(other.ConnectionString("alice") + ";Object Threshold=1000000");
        inline.Open();
        Xunit.Assert.Equal(external, Assert(inline, bytes));
    }

    [Fact]
    public void A_stream_parameter_is_stored_as_it_is_read_and_reads_back_intact()
    {
        const long size = 20L << 20;
        var connection = Open();
        using var command = new StemeCommand("ASSERT ('doc', 'body', @body)", connection);
        command.Parameters.AddWithValue("body", new PatternStream(size, seed: 4));
        command.ExecuteNonQuery();
        using var reader = new StemeCommand(Select, connection).ExecuteReader();
        Xunit.Assert.True(reader.Read());
        using var stream = reader.GetStream(0);
        Xunit.Assert.Equal(PatternStream.Hash(size, seed: 4).ToString(), Convert.ToHexStringLower(SHA256.HashData(stream)));
    }

    [Fact]
    public void GetBytes_reads_a_range_of_a_stored_object()
    {
        var bytes = Random(300_000, seed: 5);
        var connection = Open();
        Assert(connection, bytes);
        using var reader = new StemeCommand(Select, connection).ExecuteReader();
        Xunit.Assert.True(reader.Read());
        Xunit.Assert.Equal(bytes.Length, reader.GetBytes(0, 0, null, 0, 0));
        var buffer = new byte[1000];
        Xunit.Assert.Equal(900, reader.GetBytes(0, 250_000, buffer, 100, 900));
        Xunit.Assert.Equal(bytes[250_000..250_900], buffer[100..]);
        Xunit.Assert.Equal(500, reader.GetBytes(0, bytes.Length - 500, buffer, 0, 1000));
    }

    [Fact]
    public void GetStream_of_a_damaged_object_throws_IntegrityError_at_the_end()
    {
        var connection = Open();
        Assert(connection, Random(100_000, seed: 6));
        string file = Xunit.Assert.Single(ObjectFiles());
        var damaged = File.ReadAllBytes(file);
        damaged[5] ^= 1;
        File.WriteAllBytes(file, damaged);
        using var reader = new StemeCommand(Select, connection).ExecuteReader();
        Xunit.Assert.True(reader.Read());
        using var stream = reader.GetStream(0);
        var error = Xunit.Assert.Throws<StemeException>(() => stream.CopyTo(Stream.Null));
        Xunit.Assert.Equal(StemeErrorCode.IntegrityError, error.ErrorCode);
        Xunit.Assert.Contains(Path.GetFileName(file), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GetBytes_of_the_whole_value_verifies_it()
    {
        var connection = Open();
        var bytes = Random(100_000, seed: 7);
        Assert(connection, bytes);
        string file = Xunit.Assert.Single(ObjectFiles());
        File.WriteAllBytes(file, new byte[bytes.Length]);
        using var reader = new StemeCommand(Select, connection).ExecuteReader();
        Xunit.Assert.True(reader.Read());
        var error = Xunit.Assert.Throws<StemeException>(() => reader.GetBytes(0, 0, new byte[bytes.Length], 0, bytes.Length));
        Xunit.Assert.Equal(StemeErrorCode.IntegrityError, error.ErrorCode);
    }

    [Fact]
    public void GetValue_of_a_missing_object_throws_ObjectMissing_naming_its_hash()
    {
        var connection = Open();
        Assert(connection, Random(100_000, seed: 8));
        string file = Xunit.Assert.Single(ObjectFiles());
        File.Delete(file);
        using var reader = new StemeCommand(Select, connection).ExecuteReader();
        Xunit.Assert.True(reader.Read());
        var error = Xunit.Assert.Throws<StemeException>(() => reader.GetValue(0));
        Xunit.Assert.Equal(StemeErrorCode.ObjectMissing, error.ErrorCode);
        Xunit.Assert.Contains(Path.GetFileName(file), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Stemeql_check_reports_a_missing_object()
    {
        var connection = Open();
        Assert(connection, Random(100_000, seed: 9));
        File.Delete(Xunit.Assert.Single(ObjectFiles()));
        connection.WaitForLsn(connection.LastWriteLsn);
        using var reader = new StemeCommand("SELECT kind FROM stemeql_check", connection).ExecuteReader();
        Xunit.Assert.True(reader.Read());
        Xunit.Assert.Equal("object_missing", reader.GetString(0));
    }

    [Fact]
    public void Assert_writes_nothing_when_the_object_store_cannot_be_written()
    {
        var connection = Open(extra: $";Object Bucket=no-such-bucket;Object Service URL={TestServers.S3Url};Object Path Style=True;Object Access Key=S3RVER;Object Secret Key=S3RVER");
        var error = Xunit.Assert.Throws<StemeException>(() => Assert(connection, Random(100_000, seed: 10)));
        Xunit.Assert.Equal(StemeErrorCode.ObjectStoreBucketMissing, error.ErrorCode);
        Xunit.Assert.Equal(0L, connection.LastWriteLsn);
        Xunit.Assert.Equal(0L, new StemeCommand("SELECT count(*) FROM assertions", connection).ExecuteScalar());
    }

    [Fact]
    public void Assert_and_read_back_through_S3()
    {
        var bytes = Random(200_000, seed: 11);
        var connection = Open(extra: $";Object Bucket={TestServers.S3Bucket};Object Prefix=provider-{Guid.NewGuid():N}/;Object Service URL={TestServers.S3Url};Object Path Style=True;Object Access Key=S3RVER;Object Secret Key=S3RVER");
        Assert(connection, bytes);
        Xunit.Assert.Empty(ObjectFiles());
        Xunit.Assert.Equal(bytes, ReadStream(connection));
    }

    [Fact]
    public void GetStream_whose_S3_server_dies_mid_read_throws_a_transient_ObjectStoreUnreachable()
    {
        using var server = new PrivateS3rver();
        var connection = Open(extra: $";Object Bucket={PrivateS3rver.Bucket};Object Service URL={server.Url};Object Path Style=True;Object Access Key=S3RVER;Object Secret Key=S3RVER");
        using (var command = new StemeCommand("ASSERT ('doc', 'body', @body)", connection))
        {
            command.Parameters.AddWithValue("body", new PatternStream(64L << 20, seed: 12));   // far more than socket buffers hold
            command.ExecuteNonQuery();
        }
        using var reader = new StemeCommand(Select, connection).ExecuteReader();
        Xunit.Assert.True(reader.Read());
        using var stream = reader.GetStream(0);
        stream.ReadExactly(new byte[1 << 20]);
        server.Kill();

        var error = Xunit.Assert.Throws<StemeException>(() => stream.CopyTo(Stream.Null));
        Xunit.Assert.Equal(StemeErrorCode.ObjectStoreUnreachable, error.ErrorCode);
        Xunit.Assert.True(error.IsTransient);
    }

    [Fact]
    public void A_second_connection_naming_another_object_store_for_an_open_folder_is_refused()
    {
        Open();
        var error = Xunit.Assert.Throws<StemeException>(() => Open(extra: ";Object Bucket=elsewhere"));
        Xunit.Assert.Equal(StemeErrorCode.InvalidConnectionString, error.ErrorCode);
    }

    private StemeConnection Open(long? threshold = null, string extra = "")
    {
        string cs = _database.ConnectionString("alice") + (threshold is { } t ? $";Object Threshold={t}" : "") + extra;
        var connection = new StemeConnection(cs);
        _connections.Add(connection);
        connection.Open();
        return connection;
    }

    private static string Assert(StemeConnection connection, byte[] bytes)
    {
        using var command = new StemeCommand("ASSERT ('doc', 'body', @body)", connection);
        command.Parameters.AddWithValue("body", bytes);
        return (string)command.ExecuteScalar()!;
    }

    private static byte[] ReadStream(StemeConnection connection)
    {
        using var reader = new StemeCommand(Select, connection).ExecuteReader();
        Xunit.Assert.True(reader.Read());
        using var stream = reader.GetStream(0);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private string[] ObjectFiles()
    {
        string folder = Path.Combine(_database.Folder, "objects");
        return Directory.Exists(folder)
            ? [.. Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Where(f => !Path.GetRelativePath(folder, f).StartsWith("tmp", StringComparison.Ordinal))]
            : [];
    }

    private static byte[] Random(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
