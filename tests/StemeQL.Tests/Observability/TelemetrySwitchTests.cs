using StemeQL.Tests.Support;

namespace StemeQL.Tests.Observability;

/// <summary>Telemetry turned off for a data source: a listener that records everything sees nothing of its connections.</summary>
public sealed class TelemetrySwitchTests : IDisposable
{
    private readonly TempFolderDatabase _database = new();
    private readonly TelemetryRecorder _recorder;

    public TelemetrySwitchTests() => _recorder = new TelemetryRecorder(_database.Folder);

    [Fact]
    public void A_data_source_with_telemetry_off_reports_no_span_or_measurement()
    {
        using var dataSource = new StemeDataSourceBuilder(_database.ConnectionString("alice")).EnableTelemetry(false).Build();
        _recorder.Run(() => Workload.Run(dataSource.OpenConnection()));
        Assert.Empty(_recorder.Seen());
    }

    [Fact]
    public void A_data_source_reports_spans_and_measurements_by_default()
    {
        using var dataSource = new StemeDataSourceBuilder(_database.ConnectionString("alice")).Build();
        _recorder.Run(() => Workload.Run(dataSource.OpenConnection()));
        var seen = _recorder.Seen();
        Assert.Contains("span SELECT assertions", seen);
        Assert.Contains("measurement db.client.operation.duration", seen);
        Assert.Contains("measurement stemeql.ingest.assertions", seen);
        Assert.Contains("measurement db.client.connection.count", seen);
    }

    public void Dispose()
    {
        _recorder.Dispose();
        _database.Dispose();
    }
}

/// <summary>
/// The AppContext switch StemeQL.DisableTelemetry, which is process-wide: these tests run alone, after the
/// parallel ones, so no other test's connection opens while it is set.
/// </summary>
[Collection(Name)]
public sealed class TelemetryAppContextSwitchTests : IDisposable
{
    public const string Name = "telemetry switch";
    private readonly TempFolderDatabase _database = new();
    private readonly TelemetryRecorder _recorder;

    public TelemetryAppContextSwitchTests() => _recorder = new TelemetryRecorder(_database.Folder);

    [Fact]
    public void With_the_switch_set_a_connection_reports_nothing_and_the_gauges_observe_nothing()
    {
        AppContext.SetSwitch("StemeQL.DisableTelemetry", true);
        try
        {
            using var connection = _database.Open("alice");
            _recorder.Run(() => Workload.Run(connection, dispose: false));
            Assert.Empty(_recorder.Seen());
        }
        finally
        {
            AppContext.SetSwitch("StemeQL.DisableTelemetry", false);
        }
    }

    [Fact]
    public void A_connection_opened_after_the_switch_is_cleared_reports_again()
    {
        AppContext.SetSwitch("StemeQL.DisableTelemetry", true);
        AppContext.SetSwitch("StemeQL.DisableTelemetry", false);
        _recorder.Run(() => Workload.Run(_database.Open("alice")));
        Assert.Contains("span SELECT assertions", _recorder.Seen());
    }

    public void Dispose()
    {
        _recorder.Dispose();
        _database.Dispose();
    }
}

/// <summary>The switch tests' collection: not run in parallel with anything.</summary>
[CollectionDefinition(TelemetryAppContextSwitchTests.Name, DisableParallelization = true)]
public sealed class TelemetrySwitchCollection;

/// <summary>A write, a bulk load, a keyed lookup and a failing command on one connection.</summary>
internal static class Workload
{
    public static void Run(StemeConnection connection, bool dispose = true)
    {
        try
        {
            Execute(connection, "ASSERT ('paris', 'capital_of', 'france')");
            new StemeBulkLoader(connection).WriteAssertions([new BulkAssertion("rome", "capital_of", "italy")]);
            Execute(connection, "SELECT object FROM assertions USING LENS consensus WHERE subject = 'paris' AND predicate = 'capital_of'");
            Assert.Throws<StemeException>(() => Execute(connection, "SELEKT 1"));
        }
        finally
        {
            if (dispose) connection.Dispose();
        }
    }

    private static void Execute(StemeConnection connection, string sql)
    {
        using var command = new StemeCommand(sql, connection);
        using var reader = command.ExecuteReader();
        while (reader.Read()) { }
    }
}
