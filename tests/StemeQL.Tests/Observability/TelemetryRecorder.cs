using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace StemeQL.Tests.Observability;

/// <summary>
/// An ActivityListener and a MeterListener that record everything StemeQL reports about one database, as an
/// exporter would: the spans of the work done in <see cref="Run"/> (picked by their trace, so other tests'
/// listeners keep their own sampling) and the measurements tagged with the database's name (or its folder,
/// for the connection count).
/// </summary>
internal sealed class TelemetryRecorder : IDisposable
{
    private static readonly ActivitySource Parent = new("StemeQL.Tests.TelemetryRecorder");
    private ActivityTraceId? _trace;
    private readonly string _folder;
    private readonly string _database;
    private readonly ActivityListener _spans;
    private readonly MeterListener _meters = new();
    private readonly List<string> _seen = [];

    public TelemetryRecorder(string folder)
    {
        _folder = folder;
        _database = Path.GetFileName(folder);
        // Made before the listener is added: a source first made inside ShouldListenTo would miss this listener.
        var parent = Parent;
        _spans = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "StemeQL" || source == parent,
            Sample = (ref ActivityCreationOptions<ActivityContext> options) => options.Source == parent || options.TraceId == _trace
                ? ActivitySamplingResult.AllDataAndRecorded
                : ActivitySamplingResult.None,
            ActivityStopped = span =>
            {
                if (span.Source.Name == "StemeQL" && span.TraceId == _trace) Add("span " + span.DisplayName);
            },
        };
        ActivitySource.AddActivityListener(_spans);
        _meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "StemeQL") listener.EnableMeasurementEvents(instrument);
        };
        _meters.SetMeasurementEventCallback<long>((instrument, _, tags, _) => Record(instrument, tags));
        _meters.SetMeasurementEventCallback<double>((instrument, _, tags, _) => Record(instrument, tags));
        _meters.Start();
    }

    /// <summary>Runs <paramref name="work"/> inside a trace of its own, whose StemeQL spans are recorded.</summary>
    public void Run(Action work)
    {
        using var parent = Parent.StartActivity("test")!;
        _trace = parent.TraceId;
        work();
    }

    /// <summary>What was seen so far: <c>span NAME</c> and <c>measurement INSTRUMENT</c>, in order; the gauges are collected first.</summary>
    public List<string> Seen()
    {
        _meters.RecordObservableInstruments();
        lock (_seen) return [.. _seen];
    }

    private void Record(Instrument instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var tag in tags)
        {
            if ((tag.Key == "db.namespace" && Equals(tag.Value, _database)) || (tag.Key == "db.client.connection.pool.name" && Equals(tag.Value, _folder)))
            {
                Add("measurement " + instrument.Name);
                return;
            }
        }
    }

    private void Add(string what)
    {
        lock (_seen) _seen.Add(what);
    }

    public void Dispose()
    {
        _spans.Dispose();
        _meters.Dispose();
    }
}
