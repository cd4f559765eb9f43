using System.Diagnostics;
using System.Diagnostics.Metrics;
using StemeQL.Tests.Support;

namespace StemeQL.Tests.Observability;

/// <summary>
/// The lag gauges, ingest counters and connection count as a MeterListener sees them, and the error span
/// of a command that fails before it has a reader. Listeners are process-wide, so measurements are picked
/// by this test's database name (or folder, for the connection count).
/// </summary>
public sealed class InstrumentTests : IDisposable
{
    private readonly TempFolderDatabase _database = new();
    private readonly MeterListener _meters = new();
    private readonly List<(string Instrument, double Value, Dictionary<string, object?> Tags)> _measurements = [];

    public InstrumentTests()
    {
        _meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "StemeQL") listener.EnableMeasurementEvents(instrument);
        };
        _meters.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _meters.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _meters.Start();
    }

    private string Database => Path.GetFileName(_database.Folder);

    [Fact]
    public void Assert_statements_count_the_assertions_they_write()
    {
        using var connection = _database.Open("alice");
        Execute(connection, "ASSERT ('paris', 'capital_of', 'france'), ('rome', 'capital_of', 'italy')");
        Assert.Equal(2, Sum("stemeql.ingest.assertions"));
        Assert.Equal(0, Sum("stemeql.ingest.votes"));
    }

    [Fact]
    public void Vote_statements_count_the_votes_they_write()
    {
        using var connection = _database.Open("alice");
        using var assert = new StemeCommand("ASSERT ('paris', 'capital_of', 'france')", connection);
        string hash = (string)assert.ExecuteScalar()!;
        Execute(connection, $"VOTE '{hash}' WEIGHT 0.5");
        Assert.Equal(1, Sum("stemeql.ingest.votes"));
    }

    [Fact]
    public void The_bulk_loader_counts_the_assertions_it_writes()
    {
        using var connection = _database.Open("alice");
        new StemeBulkLoader(connection).WriteAssertions(Enumerable.Range(0, 5).Select(i => new BulkAssertion("s" + i, "p", (long)i)));
        Assert.Equal(5, Sum("stemeql.ingest.assertions"));
    }

    [Fact]
    public void Lag_gauges_report_each_open_store_and_read_zero_once_caught_up()
    {
        using var connection = _database.Open("alice");
        Execute(connection, "ASSERT ('paris', 'capital_of', 'france')");
        // A read-your-writes lens read returns once the views include the write.
        Execute(connection, "SELECT subject FROM assertions USING LENS consensus");
        _meters.RecordObservableInstruments();
        Assert.Equal(0, Assert.Single(Values("stemeql.journal.lag")));
        Assert.Equal(0, Assert.Single(Values("stemeql.materializer.lag_lsns")));
        Assert.Equal(0, Assert.Single(Values("stemeql.materializer.lag")));
    }

    [Fact]
    public void Lag_gauges_forget_a_store_once_its_connections_close()
    {
        _database.Open("alice").Dispose();
        _meters.RecordObservableInstruments();
        Assert.Empty(Values("stemeql.journal.lag"));
    }

    [Fact]
    public void An_open_that_fails_to_enlist_counts_nothing_and_leaves_the_gauges_readable()
    {
        using (new System.Transactions.TransactionScope())
        {
            System.Transactions.Transaction.Current!.Rollback();
            using var connection = new StemeConnection(_database.ConnectionString("alice"));
            Assert.Throws<InvalidOperationException>(() => connection.Open());
        }
        // The failed open released its store; a gauge that still listed it would throw on the closed store.
        _meters.RecordObservableInstruments();
        Assert.Empty(Values("stemeql.journal.lag"));
        Assert.Empty(Values("db.client.connection.count"));
    }

    [Fact]
    public void Opening_and_closing_connections_moves_the_connection_count()
    {
        using (var first = _database.Open("alice"))
        using (var second = _database.Open("bob")) { }
        var deltas = _measurements.Where(m => m.Instrument == "db.client.connection.count" && Equals(m.Tags.GetValueOrDefault("db.client.connection.pool.name"), _database.Folder)).Select(m => m.Value).ToList();
        Assert.Equal([1, 1, -1, -1], deltas);
    }

    [Fact]
    public void A_syntax_error_gives_an_error_span_and_an_error_measurement()
    {
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "StemeQL",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => { lock (spans) spans.Add(activity); },
        };
        ActivitySource.AddActivityListener(listener);
        using var connection = _database.Open("alice");
        using var command = new StemeCommand("SELEKT 1", connection);
        var error = Assert.Throws<StemeException>(() => command.ExecuteReader());

        Activity span;
        lock (spans) span = Assert.Single(spans, s => Equals(s.GetTagItem("db.namespace"), Database));
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal(error.ErrorCode.ToString(), span.GetTagItem("error.type"));
        Assert.Equal("SELEKT 1", span.GetTagItem("db.query.text"));
        Assert.Contains(_measurements, m => m.Instrument == "db.client.operation.duration" && Equals(m.Tags.GetValueOrDefault("error.type"), error.ErrorCode.ToString()));
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var map = new Dictionary<string, object?>();
        foreach (var tag in tags) map[tag.Key] = tag.Value;
        if (Equals(map.GetValueOrDefault("db.namespace"), Database) || Equals(map.GetValueOrDefault("db.client.connection.pool.name"), _database.Folder))
        {
            lock (_measurements) _measurements.Add((instrument.Name, value, map));
        }
    }

    private List<double> Values(string instrument)
    {
        lock (_measurements) return _measurements.Where(m => m.Instrument == instrument).Select(m => m.Value).ToList();
    }

    private double Sum(string instrument) => Values(instrument).Sum();

    private static void Execute(StemeConnection connection, string sql)
    {
        using var command = new StemeCommand(sql, connection);
        using var reader = command.ExecuteReader();
        while (reader.Read()) { }
    }

    public void Dispose()
    {
        _meters.Dispose();
        _database.Dispose();
    }
}
