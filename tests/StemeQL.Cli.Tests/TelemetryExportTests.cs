using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace StemeQL.Cli.Tests;

/// <summary>
/// The shell as a child process exporting its telemetry: a Prometheus scrape while it runs, and OTLP
/// requests to a collector (a loopback HttpListener standing in for one) when it exits.
/// </summary>
public sealed class TelemetryExportTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task The_prometheus_endpoint_serves_the_command_duration_while_the_shell_runs()
    {
        int port = FreePort();
        using var shell = StartShell(_folder.Path, "--prometheus", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await shell.StandardInput.WriteLineAsync("ASSERT ('paris', 'capital_of', 'france');");
        await shell.StandardInput.WriteLineAsync("SELECT subject FROM assertions;");
        await shell.StandardInput.FlushAsync();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        string metrics = "";
        for (var deadline = DateTime.UtcNow.AddSeconds(60); DateTime.UtcNow < deadline && !metrics.Contains("db_operation_name=\"SELECT\"", StringComparison.Ordinal); await Task.Delay(200))
        {
            try
            {
                metrics = await http.GetStringAsync($"http://127.0.0.1:{port}/metrics");
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet, or (on a busy machine) not answering within the request's timeout: ask again.
            }
        }
        shell.StandardInput.Close();
        await shell.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Contains("db_client_operation_duration_seconds_count{", metrics);
        Assert.Contains("db_operation_name=\"SELECT\"", metrics);
        Assert.Contains("db_stemeql_plan=\"ledger_scan\"", metrics);
        Assert.Equal(0, shell.ExitCode);
    }

    [Fact]
    public async Task The_otlp_exporter_sends_traces_and_metrics_to_the_collector()
    {
        int port = FreePort();
        using var collector = new HttpListener();
        collector.Prefixes.Add($"http://127.0.0.1:{port}/");
        collector.Start();
        var paths = new List<string>();
        var receiving = Task.Run(async () =>
        {
            while (collector.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await collector.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }
                lock (paths) paths.Add(context.Request.Url!.AbsolutePath);
                try
                {
                    context.Response.StatusCode = 200;
                    context.Response.Close();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                {
                    // The test stopped the collector while this request was in flight (the shell had
                    // already exited): the request was received, which is all the test checks.
                    return;
                }
            }
        });

        using var shell = StartShell(_folder.Path, "--otlp", $"http://127.0.0.1:{port}", "-c", "SELECT subject FROM assertions;");
        await shell.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        collector.Stop();
        await receiving;

        Assert.Equal(0, shell.ExitCode);
        Assert.Contains("/v1/traces", paths);
        Assert.Contains("/v1/metrics", paths);
    }

    private static Process StartShell(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(ShellDll());
        foreach (string arg in args) start.ArgumentList.Add(arg);
        var process = Process.Start(start)!;
        // Drain the output so a full pipe never blocks the shell.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static string ShellDll()
    {
        string beside = Path.Combine(AppContext.BaseDirectory, "steme.dll");
        return File.Exists(Path.Combine(AppContext.BaseDirectory, "steme.runtimeconfig.json"))
            ? beside
            : Path.Combine(Steme.RepoRoot(), "src", "Cli", "bin", "Release", "net10.0", "steme.dll");
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
