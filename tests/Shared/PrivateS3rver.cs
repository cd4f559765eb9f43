using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace StemeQL.TestSupport;

/// <summary>
/// An s3rver of the test's own, on a free loopback port with a throw-away folder, so a test can stop
/// it mid-request without disturbing the shared one that tools/test-servers/s3rver.sh starts (whose
/// install this reuses). Stopped and removed on dispose.
/// </summary>
internal sealed class PrivateS3rver : IDisposable
{
    public const string Bucket = "private-bucket";
    private readonly Process _process;
    private readonly string _data = Path.Combine(Path.GetTempPath(), "stemeql-s3rver-" + Guid.NewGuid().ToString("N"));

    public PrivateS3rver()
    {
        Directory.CreateDirectory(_data);
        int port = FreePort();
        var start = new ProcessStartInfo(Executable()) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "--address", "127.0.0.1", "--port", port.ToString(), "--directory", _data, "--configure-bucket", Bucket, "--silent" })
            start.ArgumentList.Add(arg);
        _process = Process.Start(start) ?? throw new InvalidOperationException("s3rver did not start");
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        Url = $"http://127.0.0.1:{port}";
        WaitUntilListening(port);
    }

    /// <summary>The endpoint, e.g. <c>http://127.0.0.1:4570</c>.</summary>
    public string Url { get; }

    /// <summary>Kills the server at once: its connections drop mid-response, as when a server dies.</summary>
    public void Kill()
    {
        if (_process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
            // A folder left in the temp directory is harmless.
        }
    }

    private static string Executable()
    {
        string path = Path.Combine(TestServerFolder.Get(), "node_modules", ".bin", "s3rver");
        if (File.Exists(path)) return path;
        throw new InvalidOperationException("s3rver is not installed: run 'tools/test-servers/s3rver.sh start' (./test.sh does this), then run the tests again.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void WaitUntilListening(int port)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (_process.HasExited) throw new InvalidOperationException($"s3rver exited with code {_process.ExitCode} before listening on port {port}");
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(100);
            }
        }
        Kill();
        throw new InvalidOperationException($"s3rver did not listen on 127.0.0.1:{port} within 30 s");
    }
}
