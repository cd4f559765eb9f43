using System.Diagnostics;
using System.Diagnostics.Metrics;
using StemeQL.Tests.Support;

namespace StemeQL.Tests.Provider;

/// <summary>
/// Spans and duration measurements as an OpenTelemetry listener sees them. Listeners are process-wide,
/// so spans are picked by this test's parent trace and measurements by this test's database name.
/// </summary>
public sealed class TelemetryTests : IDisposable
{
    private static readonly ActivitySource TestSource = new("StemeQL.Tests.Telemetry");

    private readonly TempFolderDatabase _database = new();
    private readonly List<Activity> _spans = [];
    private readonly List<(double Seconds, Dictionary<string, object?> Tags)> _durations = [];
    private readonly ActivityListener _listener;
    private readonly MeterListener _meterListener = new();
    private ActivitySamplingResult _sampling = ActivitySamplingResult.AllDataAndRecorded;

    public TelemetryTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "StemeQL" or "StemeQL.Tests.Telemetry",
            Sample = (ref ActivityCreationOptions<ActivityContext> options) =>
                options.Source.Name == "StemeQL" ? _sampling : ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.Source.Name == "StemeQL") lock (_spans) _spans.Add(activity);
            },
        };
        ActivitySource.AddActivityListener(_listener);
        _meterListener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "StemeQL" && instrument.Name == "db.client.operation.duration") listener.EnableMeasurementEvents(instrument);
        };
        _meterListener.SetMeasurementEventCallback<double>((instrument, value, tags, state) =>
        {
            var map = new Dictionary<string, object?>();
            foreach (var tag in tags) map[tag.Key] = tag.Value;
            if (Equals(map.GetValueOrDefault("db.namespace"), Path.GetFileName(_database.Folder))) lock (_durations) _durations.Add((value, map));
        });
        _meterListener.Start();
    }

    [Fact]
    public void A_lens_query_gives_one_span_with_the_plan_lens_text_and_rows()
    {
        using var connection = _database.Open("alice");
        Execute(connection, "ASSERT ('paris', 'capital_of', 'france'), ('rome', 'capital_of', 'italy')");
        var spans = Traced(() => Execute(connection, "SELECT object FROM assertions USING LENS consensus WHERE subject = @s", ("s", "paris")));

        var span = Assert.Single(spans);
        Assert.Equal("SELECT assertions", span.DisplayName);
        Assert.Equal(ActivityKind.Client, span.Kind);
        Assert.Equal(ActivityStatusCode.Unset, span.Status);
        Assert.Equal("stemeql", span.GetTagItem("db.system.name"));
        Assert.Equal("SELECT", span.GetTagItem("db.operation.name"));
        Assert.Equal("SELECT object FROM assertions USING LENS consensus WHERE subject = @s", span.GetTagItem("db.query.text"));
        Assert.Equal("materialized_view", span.GetTagItem("db.stemeql.plan"));
        Assert.Equal("consensus", span.GetTagItem("db.stemeql.lens"));
        Assert.Equal(1L, span.GetTagItem("db.response.returned_rows"));
    }

    [Fact]
    public void Spans_name_the_access_path_of_each_plan_kind()
    {
        using var connection = _database.Open("alice");
        Execute(connection, "ASSERT ('paris', 'capital_of', 'france')");
        Assert.Equal("ledger_scan", PlanOf(connection, "SELECT subject FROM assertions"));
        Assert.Equal("lens_scan", PlanOf(connection, "SELECT subject FROM assertions USING LENS recency AS OF LSN 1"));
        Assert.Equal("count_pushdown", PlanOf(connection, "SELECT count(*) FROM assertions"));
        Assert.Equal("single_row", PlanOf(connection, "SELECT 1"));
    }

    [Fact]
    public void Writes_and_batches_give_one_span_each_without_a_plan()
    {
        using var connection = _database.Open("alice");
        var write = Assert.Single(Traced(() => Execute(connection, "ASSERT ('a', 'b', 1)")));
        Assert.Equal("ASSERT", write.GetTagItem("db.operation.name"));
        Assert.Null(write.GetTagItem("db.stemeql.plan"));

        var batch = Assert.Single(Traced(() =>
        {
            using var b = connection.CreateBatch();
            b.BatchCommands.Add(new StemeBatchCommand("ASSERT ('c', 'd', 2)"));
            b.BatchCommands.Add(new StemeBatchCommand("SELECT subject FROM assertions"));
            b.ExecuteNonQuery();
        }));
        Assert.Equal("BATCH", batch.GetTagItem("db.operation.name"));
        Assert.Equal("ledger_scan", batch.GetTagItem("db.stemeql.plan"));
    }

    [Fact]
    public void A_failing_command_gives_an_error_span_and_an_error_measurement()
    {
        using var connection = _database.Open("alice");
        var span = Assert.Single(Traced(() =>
            Assert.Throws<StemeException>(() => Execute(connection, "VOTE @h", ("h", new string('a', 64))))));
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal("UnknownAssertion", span.GetTagItem("error.type"));
        Assert.Equal(((int)StemeErrorCode.UnknownAssertion).ToString(System.Globalization.CultureInfo.InvariantCulture), span.GetTagItem("db.response.status_code"));
        Assert.Contains(_durations, d => Equals(d.Tags.GetValueOrDefault("error.type"), "UnknownAssertion"));
    }

    [Fact]
    public void Each_command_records_one_duration_with_its_operation_and_plan()
    {
        using var connection = _database.Open("alice");
        Execute(connection, "ASSERT ('paris', 'capital_of', 'france')");
        Execute(connection, "SELECT subject FROM assertions USING LENS consensus WHERE subject = 'paris'");
        Assert.Equal(2, _durations.Count);
        Assert.Equal("ASSERT", _durations[0].Tags["db.operation.name"]);
        var select = _durations[1];
        Assert.Equal("stemeql", select.Tags["db.system.name"]);
        Assert.Equal("SELECT", select.Tags["db.operation.name"]);
        Assert.Equal(AccessPathFromExplain(connection, "SELECT subject FROM assertions USING LENS consensus WHERE subject = 'paris'"), select.Tags["db.stemeql.plan"]);
        Assert.InRange(select.Seconds, 0, 60);
    }

    [Fact]
    public void Spans_carry_no_tags_when_the_listener_does_not_ask_for_all_data()
    {
        using var connection = _database.Open("alice");
        _sampling = ActivitySamplingResult.PropagationData;
        var span = Assert.Single(Traced(() => Execute(connection, "SELECT subject FROM assertions")));
        Assert.False(span.IsAllDataRequested);
        Assert.Empty(span.TagObjects);
    }

    // The plan tag in snake case, from the access path EXPLAIN reports (MaterializedViewLookup → materialized_view).
    private static string AccessPathFromExplain(StemeConnection connection, string sql)
    {
        using var command = new StemeCommand("EXPLAIN " + sql, connection);
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        string access = reader.GetString(reader.GetOrdinal("operator"));
        return access == "MaterializedViewLookup" ? "materialized_view"
            : string.Concat(access.Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
    }

    private string? PlanOf(StemeConnection connection, string sql) =>
        (string?)Assert.Single(Traced(() => Execute(connection, sql))).GetTagItem("db.stemeql.plan");

    // The spans of StemeQL commands run inside a parent span of this test.
    private List<Activity> Traced(Action action)
    {
        ActivityTraceId trace;
        using (var parent = TestSource.StartActivity("test")!)
        {
            trace = parent.TraceId;
            action();
        }
        lock (_spans) return _spans.Where(s => s.TraceId == trace).ToList();
    }

    private static void Execute(StemeConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = new StemeCommand(sql, connection);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        using var reader = command.ExecuteReader();
        while (reader.Read()) { }
    }

    public void Dispose()
    {
        _listener.Dispose();
        _meterListener.Dispose();
        _database.Dispose();
    }
}
