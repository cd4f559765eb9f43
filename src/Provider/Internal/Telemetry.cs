using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace StemeQL.Internal;

/// <summary>
/// The provider's one <see cref="ActivitySource"/> and one <see cref="Meter"/>, both named
/// <c>StemeQL</c>, following the OpenTelemetry database client conventions (as Npgsql does).
/// Nothing is recorded, and nothing allocated per command, while no listener is attached.
/// </summary>
internal static class Telemetry
{
    /// <summary>The name of the activity source and of the meter.</summary>
    public const string Name = "StemeQL";

    private static readonly string? Version = typeof(Telemetry).Assembly.GetName().Version?.ToString();

    /// <summary>One span per command or batch, from execution to the reader's close.</summary>
    public static readonly ActivitySource Source = new(Name, Version);

    /// <summary>The meter of the provider's instruments.</summary>
    public static readonly Meter Meter = new(Name, Version);

    /// <summary><c>db.client.operation.duration</c>: seconds from execution to the reader's close, per command or batch.</summary>
    public static readonly Histogram<double> OperationDuration = Meter.CreateHistogram(
        "db.client.operation.duration", "s", "Duration of StemeQL commands and batches, until their reader is closed.",
        tags: null,
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10] });
}
