using System.Diagnostics;
using System.Text;
using StemeQL.Tests.Support;
using StemeQL.TestSupport;

namespace StemeQL.Tests.Provider;

/// <summary>
/// CommandTimeout and a large value's transfer: reading a Stream parameter and storing its bytes (in
/// the objects folder, or on S3) take as long as the bytes take, so the timeout does not cut them off;
/// Cancel() and the caller's token still stop them, with nothing written.
/// </summary>
public sealed class ObjectWriteTimeoutTests : IDisposable
{
    private const string Insert = "ASSERT ('doc', 'body', @body)";
    private readonly TempFolderDatabase _database = new();
    private readonly List<StemeConnection> _connections = [];

    public void Dispose()
    {
        foreach (var connection in _connections) connection.Dispose();
        _database.Dispose();
    }

    public static TheoryData<string> Stores => new("folder", "s3");

    [Theory]
    [MemberData(nameof(Stores))]
    public void A_stream_parameter_slower_than_CommandTimeout_is_written(string store)
    {
        var connection = Open(store);
        // 25 chunks 100 ms apart: 2.5 s of reading against a 1 s timeout.
        var body = new TrickleStream(chunks: 25, chunkSize: 64 << 10, TimeSpan.FromMilliseconds(100));
        using var command = new StemeCommand(Insert, connection) { CommandTimeout = 1 };
        command.Parameters.AddWithValue("body", body);

        var clock = Stopwatch.StartNew();
        Assert.Equal(1, command.ExecuteNonQuery());

        Assert.True(clock.Elapsed > TimeSpan.FromSeconds(2), $"the write took {clock.Elapsed}, too short to show anything");
        Assert.Equal(1L, Count(connection));
        Assert.Equal(body.TotalLength, Length(connection));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public void Cancel_stops_a_stream_parameter_being_stored_and_writes_nothing(string store)
    {
        var connection = Open(store);
        var body = new TrickleStream(chunks: 100, chunkSize: 64 << 10, TimeSpan.FromMilliseconds(100));
        using var command = new StemeCommand(Insert, connection) { CommandTimeout = 1 };
        command.Parameters.AddWithValue("body", body);
        // Past the timeout, so the stop is Cancel()'s and not a timeout that still fires.
        using var cancel = new Timer(_ => command.Cancel(), null, TimeSpan.FromSeconds(1.5), Timeout.InfiniteTimeSpan);

        var clock = Stopwatch.StartNew();
        Assert.ThrowsAny<OperationCanceledException>(() => command.ExecuteNonQuery());

        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.4), TimeSpan.FromSeconds(15));
        Assert.InRange(body.ChunksRead, 1, 99);
        AssertNothingWritten(connection);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task The_callers_token_stops_a_stream_parameter_being_stored_and_writes_nothing(string store)
    {
        var connection = Open(store);
        var body = new TrickleStream(chunks: 100, chunkSize: 64 << 10, TimeSpan.FromMilliseconds(100));
        using var command = new StemeCommand(Insert, connection) { CommandTimeout = 1 };
        command.Parameters.AddWithValue("body", body);
        using var cancellation = new CancellationTokenSource(TimeSpan.FromSeconds(1.5));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => command.ExecuteNonQueryAsync(cancellation.Token));

        Assert.InRange(body.ChunksRead, 1, 99);
        AssertNothingWritten(connection);
    }

    [Fact]
    public void A_batch_with_a_slow_stream_parameter_is_written()
    {
        var connection = Open("folder");
        using var batch = new StemeBatch(connection) { Timeout = 1 };
        var command = new StemeBatchCommand(Insert);
        command.Parameters.AddWithValue("body", new TrickleStream(chunks: 25, chunkSize: 64 << 10, TimeSpan.FromMilliseconds(100)));
        batch.BatchCommands.Add(command);
        batch.BatchCommands.Add(new StemeBatchCommand("ASSERT ('doc', 'title', 'slow')"));

        Assert.Equal(2, batch.ExecuteNonQuery());

        Assert.Equal(2L, (long)new StemeCommand("SELECT count(*) FROM assertions", connection).ExecuteScalar()!);
    }

    [Fact]
    public void A_command_that_times_out_before_its_stream_parameter_is_stored_reads_none_of_it()
    {
        var connection = Open("folder");
        // Parsing and planning several megabytes of new text takes far longer than the timeout, which
        // still bounds them: the stream is bound after them, so it is never read.
        var text = new StringBuilder(Insert).Append(';');
        string marker = Guid.NewGuid().ToString("N");
        for (int i = 0; i < 60_000; i++) text.Append("SELECT subject FROM assertions WHERE subject = '").Append(marker).Append(i).Append("';");
        var body = new TrickleStream(chunks: 25, chunkSize: 64 << 10, TimeSpan.FromMilliseconds(100));
        using var command = new StemeCommand(text.ToString(), connection) { CommandTimeout = 1 };
        command.Parameters.AddWithValue("body", body);

        var error = Assert.Throws<StemeException>(() => command.ExecuteNonQuery());

        Assert.Equal(StemeErrorCode.Timeout, error.ErrorCode);
        Assert.Equal(0, body.ChunksRead);
        AssertNothingWritten(connection);
    }

    private StemeConnection Open(string store)
    {
        string extra = store == "s3"
            ? $";Object Bucket={TestServers.S3Bucket};Object Prefix=timeout-{Guid.NewGuid():N}/;Object Service URL={TestServers.S3Url};Object Path Style=True;Object Access Key=S3RVER;Object Secret Key=S3RVER"
            : "";
        var connection = new StemeConnection(_database.ConnectionString("alice") + extra);
        _connections.Add(connection);
        connection.Open();
        return connection;
    }

    private void AssertNothingWritten(StemeConnection connection)
    {
        Assert.Equal(0L, connection.LastWriteLsn);
        Assert.Equal(0L, Count(connection));
        // The spool's temporary file went with the cancelled transfer.
        string spool = Path.Combine(_database.Folder, "objects", "tmp");
        Assert.Empty(Directory.Exists(spool) ? Directory.EnumerateFiles(spool) : []);
    }

    private static long Count(StemeConnection connection) =>
        (long)new StemeCommand("SELECT count(*) FROM assertions", connection).ExecuteScalar()!;

    private static long Length(StemeConnection connection) =>
        (long)new StemeCommand("SELECT length(object) FROM assertions WHERE subject = 'doc'", connection).ExecuteScalar()!;
}
