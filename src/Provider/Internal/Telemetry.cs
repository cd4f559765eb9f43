using System.Diagnostics;
using System.Diagnostics.Metrics;
using StemeQL.Planner.Syntax;

namespace StemeQL.Internal;

/// <summary>
/// The provider's one <see cref="ActivitySource"/> and one <see cref="Meter"/>, both named
/// <c>StemeQL</c>, following the OpenTelemetry database client conventions (as Npgsql does).
/// Nothing is recorded, and nothing allocated per command, while no listener is attached; nothing at all
/// for a connection whose telemetry is off (<see cref="DisableSwitch"/>, or its data source's
/// <see cref="StemeDataSourceBuilder.EnableTelemetry"/>).
/// </summary>
internal static class Telemetry
{
    /// <summary>The name of the activity source and of the meter.</summary>
    public const string Name = "StemeQL";

    /// <summary>The AppContext switch that turns spans and metrics off for the whole process.</summary>
    public const string DisableSwitch = "StemeQL.DisableTelemetry";

    /// <summary>
    /// False when the process set <see cref="DisableSwitch"/>. Read as each connection opens (and as the gauges
    /// are collected), so a switch set at start-up, or in runtimeconfig.json, covers every connection.
    /// </summary>
    public static bool EnabledByProcess => !(AppContext.TryGetSwitch(DisableSwitch, out bool disabled) && disabled);

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

    /// <summary><c>db.client.connection.count</c>: open connections (there is no pool, so every open connection is in use).</summary>
    public static readonly UpDownCounter<long> ConnectionCount = Meter.CreateUpDownCounter<long>(
        "db.client.connection.count", "{connection}", "Open StemeQL connections.");

    /// <summary><c>stemeql.ingest.assertions</c>: assertions written by ASSERT statements and the bulk loader.</summary>
    public static readonly Counter<long> AssertionsWritten = Meter.CreateCounter<long>(
        "stemeql.ingest.assertions", "{assertion}", "Assertions written (ASSERT statements and bulk loads; in a transaction, when queued).");

    /// <summary><c>stemeql.ingest.votes</c>: votes written by VOTE statements and the bulk loader.</summary>
    public static readonly Counter<long> VotesWritten = Meter.CreateCounter<long>(
        "stemeql.ingest.votes", "{vote}", "Votes written (VOTE statements and bulk loads; in a transaction, when queued).");

    /// <summary><c>stemeql.journal.lag</c>: LSNs durable in the journal but not yet ingested into the ledger, per open store.</summary>
    public static readonly ObservableGauge<long> JournalLag = Meter.CreateObservableGauge(
        "stemeql.journal.lag", () => Observed().Select(s => new Measurement<long>(Math.Max(0, s.Status.DurableLsn - s.Status.IngestedLsn), Namespace(s.Database))),
        "{lsn}", "Writes durable in the journal and not yet in the ledger tables.");

    /// <summary><c>stemeql.materializer.lag</c>: seconds the oldest durable write not yet in the materialized views has waited, per open store.</summary>
    public static readonly ObservableGauge<double> MaterializerLag = Meter.CreateObservableGauge(
        "stemeql.materializer.lag", () => Observed().Select(s => new Measurement<double>(s.Status.LagMilliseconds / 1000, Namespace(s.Database))),
        "s", "How long the oldest durable write not yet folded into the materialized views has waited; 0 when caught up.");

    /// <summary><c>stemeql.materializer.lag_lsns</c>: LSNs durable but not yet in the materialized views, per open store.</summary>
    public static readonly ObservableGauge<long> MaterializerLagLsns = Meter.CreateObservableGauge(
        "stemeql.materializer.lag_lsns", () => Observed().Select(s => new Measurement<long>(s.Status.LagLsns, Namespace(s.Database))),
        "{lsn}", "Writes durable and not yet folded into the materialized views.");

    // The gauges observe every open store; with the process switch set they observe nothing.
    private static IEnumerable<(string Database, Storage.Abstractions.StoreStatus Status)> Observed() =>
        EnabledByProcess ? OpenStores.Statuses() : [];

    /// <summary>Counts the records a write statement wrote in <paramref name="database"/>.</summary>
    public static void CountWrites(Statement? statement, int records, string database)
    {
        if (records <= 0) return;
        if (statement is AssertStatement) AssertionsWritten.Add(records, Namespace(database));
        else if (statement is VoteStatement) VotesWritten.Add(records, Namespace(database));
    }

    /// <summary>Counts a connection opening (+1) or closing (-1); the pool is the data source (there is no pooling).</summary>
    public static void CountConnection(int delta, string dataSource) => ConnectionCount.Add(delta,
        new KeyValuePair<string, object?>("db.client.connection.pool.name", dataSource), new KeyValuePair<string, object?>("db.client.connection.state", "used"));

    /// <summary>The <c>db.namespace</c> tag.</summary>
    public static KeyValuePair<string, object?> Namespace(string database) => new("db.namespace", database);
}
