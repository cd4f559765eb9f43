using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using StemeQL.Internal;

namespace StemeQL.Cli;

/// <summary>
/// Exports the provider's telemetry while the shell runs, when asked: spans, metrics and log events to an
/// OTLP collector (<c>--otlp URL</c>), and metrics on a Prometheus scrape endpoint on 127.0.0.1
/// (<c>--prometheus PORT</c>, at <c>/metrics</c>). Disposing flushes what is pending.
/// </summary>
internal sealed class TelemetryExport : IDisposable
{
    private const string ServiceName = "steme";

    private readonly MeterProvider _meters;
    private readonly TracerProvider? _tracer;
    private readonly ILoggerFactory? _logs;

    private TelemetryExport(MeterProvider meters, TracerProvider? tracer, ILoggerFactory? logs) => (_meters, _tracer, _logs) = (meters, tracer, logs);

    /// <summary>The OTLP log export, when the options ask for one.</summary>
    public ILoggerFactory? Logs => _logs;

    /// <summary>Starts exporting as <paramref name="options"/> ask, or returns null when they ask for nothing.</summary>
    public static TelemetryExport? Start(ShellOptions options)
    {
        if (options.OtlpEndpoint is null && options.PrometheusPort is null) return null;
        var meters = Sdk.CreateMeterProviderBuilder().ConfigureResource(Resource).AddMeter(Telemetry.Name);
        if (options.PrometheusPort is int port)
            meters.AddPrometheusHttpListener(o => (o.Host, o.Port) = ("127.0.0.1", port));
        if (options.OtlpEndpoint is not { } endpoint) return new TelemetryExport(meters.Build()!, null, null);

        meters.AddOtlpExporter(o => Configure(o, endpoint, "metrics"));
        var tracer = Sdk.CreateTracerProviderBuilder().ConfigureResource(Resource).AddSource(Telemetry.Name)
            .AddOtlpExporter(o => Configure(o, endpoint, "traces")).Build();
        var logs = LoggerFactory.Create(builder => builder.AddOpenTelemetry(o =>
        {
            o.SetResourceBuilder(ResourceBuilder.CreateDefault().AddService(ServiceName));
            o.AddOtlpExporter(e => Configure(e, endpoint, "logs"));
        }));
        StemeLoggingConfiguration.InitializeLogging(logs);
        return new TelemetryExport(meters.Build()!, tracer, logs);
    }

    private static void Resource(ResourceBuilder resource) => resource.AddService(ServiceName);

    // Port 4317 is OTLP over gRPC; anything else is taken as an OTLP/HTTP base URL, to which the signal's path is added.
    private static void Configure(OtlpExporterOptions exporter, Uri endpoint, string signal)
    {
        if (endpoint.Port == 4317)
        {
            exporter.Protocol = OtlpExportProtocol.Grpc;
            exporter.Endpoint = endpoint;
            return;
        }
        exporter.Protocol = OtlpExportProtocol.HttpProtobuf;
        exporter.Endpoint = new Uri(endpoint.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/v1/" + signal);
    }

    public void Dispose()
    {
        _tracer?.Dispose();
        _meters.Dispose();
        if (_logs is null) return;
        // Connections opened later must not log through a disposed factory.
        StemeLoggingConfiguration.InitializeLogging(Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
        _logs.Dispose();
    }
}
