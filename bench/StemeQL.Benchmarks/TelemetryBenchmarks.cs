using System.Diagnostics;
using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;

namespace StemeQL.Benchmarks;

/// <summary>
/// A keyed lookup on a connection whose telemetry is off (<c>StemeDataSourceBuilder.EnableTelemetry(false)</c>),
/// on, with nothing listening to the StemeQL ActivitySource and Meter (the provider then records nothing
/// and allocates nothing for telemetry), and on with an ActivityListener and MeterListener that record
/// everything, as an exporter would (target: on without a listener within 5% of off).
/// </summary>
[MemoryDiagnoser]
public class TelemetryBenchmarks
{
    private KeyedLookupDatabase _db = null!;
    private StemeCommand _command = null!;
    private ActivityListener? _tracing;
    private MeterListener? _metrics;
    private int _next;

    /// <summary>Telemetry off, on with no listener, on with listeners recording everything.</summary>
    public enum TelemetryMode
    {
        Off,
        NoListener,
        Listener,
    }

    [Params(TelemetryMode.Off, TelemetryMode.NoListener, TelemetryMode.Listener)]
    public TelemetryMode Mode { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _db = new KeyedLookupDatabase(telemetry: Mode != TelemetryMode.Off);
        _command = new StemeCommand("SELECT object FROM assertions WHERE subject = @s AND predicate = 'population'", _db.Connection);
        _command.Parameters.AddWithValue("s", "");
        _command.Prepare();
        if (Mode != TelemetryMode.Listener) return;
        _tracing = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "StemeQL",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(_tracing);
        _metrics = new MeterListener { InstrumentPublished = (instrument, listener) => { if (instrument.Meter.Name == "StemeQL") listener.EnableMeasurementEvents(instrument); } };
        _metrics.SetMeasurementEventCallback<double>((_, _, _, _) => { });
        _metrics.SetMeasurementEventCallback<long>((_, _, _, _) => { });
        _metrics.Start();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _tracing?.Dispose();
        _metrics?.Dispose();
        _command.Dispose();
        _db.Dispose();
    }

    [Benchmark(Description = "Keyed lookup")]
    public object? Lookup()
    {
        _command.Parameters[0].Value = KeyedLookupDatabase.Subject(_next++ % KeyedLookupDatabase.Subjects);
        using var reader = _command.ExecuteReader();
        return reader.Read() ? reader.GetValue(0) : null;
    }
}
