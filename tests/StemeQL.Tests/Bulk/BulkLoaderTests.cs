using System.Runtime.CompilerServices;
using StemeQL.Tests.Support;

namespace StemeQL.Tests.Bulk;

public abstract class BulkLoaderTests : IDisposable
{
    private readonly TestDatabase _database;
    private readonly StemeConnection _connection;

    private protected BulkLoaderTests(StorageBackend backend)
    {
        _database = backend.CreateDatabase();
        _connection = _database.Open("loader");
    }

    public void Dispose()
    {
        _connection.Dispose();
        _database.Dispose();
    }

    private static IEnumerable<BulkAssertion> Assertions(int count)
    {
        for (int i = 0; i < count; i++) yield return new BulkAssertion("s" + i, "rank", i);
    }

    private static IEnumerable<BulkVote> Votes(IReadOnlyList<string> hashes, int count)
    {
        for (int i = 0; i < count; i++) yield return new BulkVote(hashes[i % hashes.Count], (i % 10) / 10.0);
    }

    private List<string> Hashes()
    {
        using var reader = new StemeCommand("SELECT hash FROM assertions", _connection).ExecuteReader();
        var hashes = new List<string>();
        while (reader.Read()) hashes.Add(reader.GetString(0));
        return hashes;
    }

    [Fact]
    public void WriteAssertions_and_WriteVotes_round_trip_100k_rows()
    {
        var loader = new StemeBulkLoader(_connection);
        Assert.Equal(50_000, loader.WriteAssertions(Assertions(50_000)));
        Assert.Equal(50_000, Rows.Assertions(_connection));

        var hashes = Hashes();
        Assert.Equal(100_000, loader.WriteVotes(Votes(hashes, 100_000)));
        Assert.Equal(100_000, Rows.Votes(_connection));
        Assert.Equal(2, Rows.Count(_connection, $"SELECT lsn FROM votes WHERE assertion = '{hashes[7]}'"));
        Assert.Equal(1, Rows.Count(_connection, "SELECT hash FROM assertions WHERE subject = 's49999' AND object = 49999 AND agent = 'loader'"));
    }

    [Fact]
    public void WriteAssertions_counts_assertions_already_stored_and_does_not_duplicate_them()
    {
        var loader = new StemeBulkLoader(_connection);
        Assert.Equal(10, loader.WriteAssertions(Assertions(10)));
        Assert.Equal(10, loader.WriteAssertions(Assertions(10)));
        Assert.Equal(10, Rows.Assertions(_connection));
    }

    [Fact]
    public void WriteAssertions_stores_every_object_type_epoch_confidence_and_lineage()
    {
        string parent = Rows.Assert(_connection, "earlier");
        var loader = new StemeBulkLoader(_connection);
        loader.WriteAssertions(
        [
            new("t", "p", "text"),
            new("i", "p", 7),
            new("l", "p", long.MaxValue),
            new("r", "p", 2.5),
            new("b", "p", true),
            new("y", "p", new byte[] { 1, 2 }),
            new("e", "p", "o", Epoch: "classical", Confidence: 0.25, DerivedFrom: [parent]),
        ]);

        using var reader = new StemeCommand("SELECT subject, object, object_type, epoch FROM assertions WHERE agent = 'loader' ORDER BY subject", _connection).ExecuteReader();
        var rows = new Dictionary<string, (object Value, string Type, string Epoch)>();
        while (reader.Read()) rows[reader.GetString(0)] = (reader.GetValue(1), reader.GetString(2), reader.GetString(3));
        Assert.Equal(("text", "text", ""), (rows["t"].Value, rows["t"].Type, rows["t"].Epoch));
        Assert.Equal(7L, rows["i"].Value);
        Assert.Equal(long.MaxValue, rows["l"].Value);
        Assert.Equal((2.5, "real"), (rows["r"].Value, rows["r"].Type));
        Assert.Equal(true, rows["b"].Value);
        Assert.Equal(new byte[] { 1, 2 }, rows["y"].Value);
        Assert.Equal("classical", rows["e"].Epoch);
    }

    [Fact]
    public void Derived_from_may_name_an_assertion_earlier_in_the_same_batch()
    {
        string parentHash;
        using (var probe = _database.Open("loader"))
        using (probe.BeginTransaction())
        {
            // Hashes are known before the write, so a rolled-back ASSERT tells the hash without storing it.
            using var command = probe.CreateCommand();
            command.CommandText = "ASSERT ('parent', 'p', 'o')";
            parentHash = (string)command.ExecuteScalar()!;
        }
        var loader = new StemeBulkLoader(_connection);
        Assert.Equal(2, loader.WriteAssertions([new("parent", "p", "o"), new("child", "p", "o", DerivedFrom: [parentHash])]));
        Assert.Equal(2, Rows.Assertions(_connection));
    }

    [Fact]
    public void Progress_is_raised_after_each_batch_with_rows_written_so_far()
    {
        string hash = Rows.Assert(_connection);
        var loader = new StemeBulkLoader(_connection) { BatchSize = 1000 };
        var reports = new List<(long Rows, int Batches)>();
        loader.Progress += (sender, progress) =>
        {
            Assert.Same(loader, sender);
            reports.Add((progress.RowsWritten, progress.Batches));
        };
        Assert.Equal(2500, loader.WriteVotes(Votes([hash], 2500)));
        Assert.Equal([(1000L, 1), (2000L, 2), (2500L, 3)], reports);
    }

    [Fact]
    public void Many_small_pipelined_batches_are_each_counted_once()
    {
        // The loader keeps one batch in flight while it builds the next: every batch is counted
        // once, in order, whether it was durable at once or waited for.
        string hash = Rows.Assert(_connection);
        var loader = new StemeBulkLoader(_connection) { BatchSize = 7 };
        var reports = new List<(long Rows, int Batches)>();
        loader.Progress += (_, progress) => reports.Add((progress.RowsWritten, progress.Batches));
        Assert.Equal(20_000, loader.WriteVotes(Votes([hash], 20_000)));
        Assert.Equal(Enumerable.Range(1, 2858).Select(b => ((long)Math.Min(b * 7, 20_000), b)), reports);
        // One LSN for the assertion, one per vote: nothing written twice or lost.
        using var status = new StemeCommand("SELECT durable_lsn FROM stemeql_status", _connection);
        Assert.Equal(20_001L, Convert.ToInt64(status.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Bad_weight_names_its_row_and_its_batch_is_not_written_but_earlier_batches_are()
    {
        string hash = Rows.Assert(_connection);
        var loader = new StemeBulkLoader(_connection) { BatchSize = 100 };
        var rows = Votes([hash], 250).Select((v, i) => i == 150 ? v with { Weight = 1.5 } : v);

        var error = Assert.Throws<StemeException>(() => loader.WriteVotes(rows));
        Assert.Equal(StemeErrorCode.InvalidWeight, error.ErrorCode);
        Assert.StartsWith("Row 150: ", error.Message);
        Assert.Equal(100, Rows.Votes(_connection));
    }

    [Fact]
    public void Unknown_hash_names_its_row_and_its_batch_is_not_written_but_earlier_batches_are()
    {
        string hash = Rows.Assert(_connection);
        var loader = new StemeBulkLoader(_connection) { BatchSize = 100 };
        var rows = Votes([hash], 250).Select((v, i) => i == 230 ? v with { Assertion = Rows.UnknownHash } : v);

        var error = Assert.Throws<StemeException>(() => loader.WriteVotes(rows));
        Assert.Equal(StemeErrorCode.UnknownAssertion, error.ErrorCode);
        Assert.StartsWith("Row 230: ", error.Message);
        Assert.Contains(Rows.UnknownHash, error.Message);
        Assert.Equal(200, Rows.Votes(_connection));
    }

    [Fact]
    public void Unknown_lineage_hash_names_its_row()
    {
        var loader = new StemeBulkLoader(_connection);
        var error = Assert.Throws<StemeException>(() => loader.WriteAssertions(
            [new("a", "p", "o"), new("b", "p", "o", DerivedFrom: [Rows.UnknownHash])]));
        Assert.Equal(StemeErrorCode.UnknownAssertion, error.ErrorCode);
        Assert.StartsWith("Row 1: ", error.Message);
        Assert.Equal(0, Rows.Assertions(_connection));
    }

    public static TheoryData<BulkAssertion, StemeErrorCode> BadAssertions => new()
    {
        { new BulkAssertion(null!, "p", "o"), StemeErrorCode.TypeMismatch },
        { new BulkAssertion("s", null!, "o"), StemeErrorCode.TypeMismatch },
        { new BulkAssertion("s", "p", null!), StemeErrorCode.TypeMismatch },
        { new BulkAssertion("s", "p", DateTime.UtcNow), StemeErrorCode.TypeMismatch },
        { new BulkAssertion("s", "p", new Uri("http://example.com")), StemeErrorCode.InvalidParameterValue },
        { new BulkAssertion("s", "p", "o", Confidence: -0.1), StemeErrorCode.InvalidConfidence },
        { new BulkAssertion("s", "p", "o", DerivedFrom: ["abc"]), StemeErrorCode.InvalidHash },
    };

    [Theory]
    [MemberData(nameof(BadAssertions))]
    public void Bad_assertion_throws_its_code_naming_its_row(BulkAssertion bad, StemeErrorCode code)
    {
        var loader = new StemeBulkLoader(_connection);
        var error = Assert.Throws<StemeException>(() => loader.WriteAssertions([new("a", "p", "o"), new("b", "p", "o"), bad]));
        Assert.Equal(code, error.ErrorCode);
        Assert.StartsWith("Row 2: ", error.Message);
        Assert.Equal(0, Rows.Assertions(_connection));
    }

    [Theory]
    [InlineData(null, StemeErrorCode.InvalidHash)]
    [InlineData("xyz", StemeErrorCode.InvalidHash)]
    [InlineData(Rows.UnknownHash + "0", StemeErrorCode.InvalidHash)]
    public void Bad_vote_hash_throws_its_code_naming_its_row(string? hash, StemeErrorCode code)
    {
        string good = Rows.Assert(_connection);
        var loader = new StemeBulkLoader(_connection);
        var error = Assert.Throws<StemeException>(() => loader.WriteVotes([new(good), new(hash!)]));
        Assert.Equal(code, error.ErrorCode);
        Assert.StartsWith("Row 1: ", error.Message);
        Assert.Equal(0, Rows.Votes(_connection));
    }

    [Fact]
    public async Task WriteVotesAsync_reads_an_async_source()
    {
        string hash = Rows.Assert(_connection);
        var loader = new StemeBulkLoader(_connection) { BatchSize = 3000 };
        Assert.Equal(10_000, await loader.WriteVotesAsync(ToAsync(Votes([hash], 10_000))));
        Assert.Equal(10_000, Rows.Votes(_connection));
    }

    [Fact]
    public async Task WriteAssertionsAsync_reads_an_async_source()
    {
        var loader = new StemeBulkLoader(_connection);
        Assert.Equal(1000, await loader.WriteAssertionsAsync(ToAsync(Assertions(1000))));
        Assert.Equal(1000, Rows.Assertions(_connection));
    }

    [Fact]
    public async Task Cancelling_stops_the_load_and_keeps_the_batches_written()
    {
        string hash = Rows.Assert(_connection);
        var loader = new StemeBulkLoader(_connection) { BatchSize = 100 };
        using var cancellation = new CancellationTokenSource();
        // The source ignores the token, so the loader's own checks must stop it.
        var source = ToAsync(Votes([hash], 1000), onRow: i => { if (i == 250) cancellation.Cancel(); });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => loader.WriteVotesAsync(source, cancellation.Token));
        Assert.Equal(200, Rows.Votes(_connection));
    }

    [Fact]
    public async Task Cancelled_token_writes_nothing()
    {
        var loader = new StemeBulkLoader(_connection);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => loader.WriteAssertionsAsync(ToAsync(Assertions(10)), new CancellationToken(canceled: true)));
        Assert.Equal(0, Rows.Assertions(_connection));
    }

    [Fact]
    public void Rows_join_the_connections_transaction()
    {
        var loader = new StemeBulkLoader(_connection);
        using (_connection.BeginTransaction())
            Assert.Equal(5, loader.WriteAssertions(Assertions(5)));
        Assert.Equal(0, Rows.Assertions(_connection));

        using (var transaction = _connection.BeginTransaction())
        {
            loader.WriteAssertions(Assertions(5));
            transaction.Commit();
        }
        Assert.Equal(5, Rows.Assertions(_connection));
    }

    [Fact]
    public void Loader_needs_an_open_connection_and_a_positive_batch_size()
    {
        using var closed = new StemeConnection(_database.ConnectionString());
        Assert.Throws<InvalidOperationException>(() => new StemeBulkLoader(closed));
        Assert.Throws<ArgumentNullException>(() => new StemeBulkLoader(null!));
        var loader = new StemeBulkLoader(_connection);
        Assert.Equal(8_192, loader.BatchSize);
        Assert.Throws<ArgumentOutOfRangeException>(() => loader.BatchSize = 0);
        _connection.Close();
        Assert.Throws<InvalidOperationException>(() => loader.WriteAssertions(Assertions(1)));
    }

    private static async IAsyncEnumerable<T> ToAsync<T>(IEnumerable<T> rows, Action<int>? onRow = null)
    {
        int i = 0;
        foreach (var row in rows)
        {
            onRow?.Invoke(i++);
            if (i % 1000 == 0) await Task.Yield();
            yield return row;
        }
    }
}

/// <summary>The suite on the embedded store.</summary>
public sealed class EmbeddedBulkLoaderTests() : BulkLoaderTests(StorageBackend.Named("embedded"));

/// <summary>The suite on PostgreSQL.</summary>
public sealed class PostgresBulkLoaderTests() : BulkLoaderTests(StorageBackend.Named("postgres"));
