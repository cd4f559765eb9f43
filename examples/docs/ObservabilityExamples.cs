using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using StemeQL;

namespace DocExamples;

/// <summary>The C# blocks of docs/observability.md.</summary>
public static class ObservabilityExamples
{
    public static void Logging()
    {
        // <doc>
        using var loggers = LoggerFactory.Create(builder => builder.AddConsole());
        StemeLoggingConfiguration.InitializeLogging(loggers);
        using var connection = new StemeConnection("Data Source=./stemedb;Agent=alice;Slow Query Threshold=200");
        connection.Open();   // logs StoreOpened, and JournalRecovered if the journal had a torn tail
        // </doc>
        // The factory is disposed when this method ends: the examples that follow log nowhere again.
        StemeLoggingConfiguration.InitializeLogging(Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
    }

    public static void TelemetryOffForADataSource()
    {
        // <doc>
        using var dataSource = new StemeDataSourceBuilder("Data Source=./stemedb;Agent=alice")
            .EnableTelemetry(false)
            .Build();
        using var connection = dataSource.OpenConnection();   // no spans, no measurements, whoever listens
        // </doc>
    }

    public static void TelemetryOffForTheProcess()
    {
        // <doc>
        AppContext.SetSwitch("StemeQL.DisableTelemetry", true);
        // </doc>
        // The examples share one process: turn it on again for those that follow.
        AppContext.SetSwitch("StemeQL.DisableTelemetry", false);
    }

    public static void OpenTelemetryExport()
    {
        // <doc>
        using var tracing = Sdk.CreateTracerProviderBuilder().AddSource("StemeQL").AddOtlpExporter().Build();
        using var metrics = Sdk.CreateMeterProviderBuilder().AddMeter("StemeQL").AddOtlpExporter().Build();
        // </doc>
    }
}
