using System.Diagnostics;
using System.Text;

namespace StemeQL.Tests.Durability;

/// <summary>
/// The crash writer (tests/StemeQL.CrashWriter) running as a child process. Its stdout is read
/// byte by byte on a background task and only complete lines (ended by '\n') are kept: a line cut
/// off by a kill is not an acknowledgement.
/// </summary>
internal sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly object _gate = new();
    private readonly StringBuilder _stderr = new();
    private readonly Task _stdoutPump;
    private readonly Task _stderrPump;

    private ChildProcess(Process process)
    {
        _process = process;
        _stdoutPump = Task.Run(PumpStdout);
        _stderrPump = Task.Run(PumpStderr);
    }

    /// <summary>Starts <c>dotnet StemeQL.CrashWriter.dll &lt;args&gt;</c>.</summary>
    public static ChildProcess Start(params string[] args) => Start(null, args);

    /// <summary>
    /// Starts the crash writer as the unprivileged user <c>nobody</c> (through <c>setpriv</c>), for
    /// permission tests: root ignores file permissions. Only a root test process can do this.
    /// </summary>
    public static ChildProcess StartAsNobody(params string[] args) =>
        Start(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"], args, NobodysCopy.Value);

    private static ChildProcess Start(string[]? prefix, string[] args, string? crashWriter = null)
    {
        var start = new ProcessStartInfo(prefix?[0] ?? DotnetHost)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // A child killed with SIGKILL cannot remove the runtime's diagnostic pipes and socket from
        // /tmp (clr-debug-pipe-*, dotnet-diagnostic-*); thousands of kills would leave thousands.
        start.Environment["DOTNET_EnableDiagnostics"] = "0";
        if (prefix is not null)
        {
            foreach (string arg in prefix[1..]) start.ArgumentList.Add(arg);
            start.ArgumentList.Add(DotnetHost);
            start.Environment["HOME"] = start.Environment["DOTNET_CLI_HOME"] = Path.GetTempPath();
        }
        if (crashWriter is not null) start.WorkingDirectory = Path.GetDirectoryName(crashWriter)!;
        start.ArgumentList.Add(crashWriter ?? CrashWriterPath.Value);
        foreach (string arg in args) start.ArgumentList.Add(arg);
        var process = Process.Start(start) ?? throw new InvalidOperationException("The crash writer did not start.");
        return new ChildProcess(process);
    }

    /// <summary>The child's process id.</summary>
    public int Id => _process.Id;

    /// <summary>True once the child has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>A copy of the complete stdout lines so far.</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_gate) return [.. _lines];
        }
    }

    /// <summary>What the child wrote to stderr so far.</summary>
    public string StandardError
    {
        get
        {
            lock (_gate) return _stderr.ToString();
        }
    }

    /// <summary>
    /// Waits for a stdout line starting at index <paramref name="from"/> that matches; returns its index.
    /// Fails (with the child's stderr) when the child exits first or the time runs out.
    /// </summary>
    public int WaitForLine(Func<string, bool> match, TimeSpan timeout, int from = 0)
    {
        var clock = Stopwatch.StartNew();
        lock (_gate)
        {
            while (true)
            {
                for (int i = from; i < _lines.Count; i++)
                {
                    if (match(_lines[i])) return i;
                }
                if (_stdoutPump.IsCompleted)
                    throw new InvalidOperationException($"The crash writer ended its output without the expected line. {Describe()}");
                var left = timeout - clock.Elapsed;
                if (left <= TimeSpan.Zero)
                    throw new TimeoutException($"The crash writer printed no expected line within {timeout.TotalSeconds:0.#} s. {Describe()}");
                from = _lines.Count;
                Monitor.Wait(_gate, left < TimeSpan.FromMilliseconds(200) ? left : TimeSpan.FromMilliseconds(200));
            }
        }
    }

    /// <summary>Sends a line to the child's stdin.</summary>
    public void Send(string line)
    {
        _process.StandardInput.WriteLine(line);
        _process.StandardInput.Flush();
    }

    /// <summary>Closes the child's stdin (hold mode then releases the folder and exits).</summary>
    public void CloseInput() => _process.StandardInput.Close();

    /// <summary>SIGKILL (on Linux, Kill sends SIGKILL), then waits until the process is gone and its output is read.</summary>
    public void KillHard()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It had already exited; the caller checks the exit if it matters.
        }
        WaitForExit(TimeSpan.FromSeconds(30));
    }

    /// <summary>Waits for the child to exit and its output to be read; returns the exit code.</summary>
    public int WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout) || !Task.WaitAll([_stdoutPump, _stderrPump], timeout))
            throw new TimeoutException($"The crash writer did not exit within {timeout.TotalSeconds:0.#} s. {Describe()}");
        return _process.ExitCode;
    }

    /// <summary>The child's state for a failure message.</summary>
    public string Describe()
    {
        string exit = _process.HasExited ? $"exit code {_process.ExitCode}" : "still running";
        string[] lines = [.. Lines.TakeLast(5)];
        return $"Child {Id} ({exit}); last stdout lines: [{string.Join(" | ", lines)}]; stderr: {StandardError.Trim()}";
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (!_process.HasExited) KillHard();
        _process.Dispose();
    }

    private async Task PumpStdout()
    {
        var stream = _process.StandardOutput.BaseStream;
        var buffer = new byte[1 << 16];
        var pending = new List<byte>();
        int read;
        try
        {
            while ((read = await stream.ReadAsync(buffer).ConfigureAwait(false)) > 0)
            {
                var complete = new List<string>();
                for (int i = 0; i < read; i++)
                {
                    if (buffer[i] != (byte)'\n')
                    {
                        pending.Add(buffer[i]);
                        continue;
                    }
                    complete.Add(Encoding.UTF8.GetString(pending.ToArray()));
                    pending.Clear();
                }
                if (complete.Count == 0) continue;
                lock (_gate)
                {
                    _lines.AddRange(complete);
                    Monitor.PulseAll(_gate);
                }
            }
        }
        finally
        {
            // An unterminated tail was cut off by the kill: it acknowledges nothing, so it is dropped.
            lock (_gate) Monitor.PulseAll(_gate);
        }
    }

    private async Task PumpStderr()
    {
        var buffer = new char[4096];
        int read;
        while ((read = await _process.StandardError.ReadAsync(buffer).ConfigureAwait(false)) > 0)
        {
            lock (_gate) _stderr.Append(buffer, 0, read);
        }
    }

    /// <summary>The <c>dotnet</c> host that runs this test process (the SDK sets DOTNET_HOST_PATH for it).</summary>
    private static string DotnetHost =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host
        : Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self
        : "dotnet";

    /// <summary>
    /// StemeQL.CrashWriter.dll built for the same configuration as this test assembly. The test project
    /// references it (ReferenceOutputAssembly=false) so it is built first; it sits in its own output
    /// folder, which mirrors this one with the project name swapped, whether the build uses the
    /// classic bin/ layout or an artifacts folder.
    /// </summary>
    private static readonly Lazy<string> CrashWriterPath = new(() =>
    {
        const string dll = "StemeQL.CrashWriter.dll";
        string here = Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory);
        var candidates = new List<string> { Path.Combine(here, dll) };
        string marker = Path.DirectorySeparatorChar + "StemeQL.Tests" + Path.DirectorySeparatorChar;
        int at = (here + Path.DirectorySeparatorChar).LastIndexOf(marker, StringComparison.Ordinal);
        if (at >= 0)
        {
            string mirrored = here[..at] + Path.DirectorySeparatorChar + "StemeQL.CrashWriter" + (here + Path.DirectorySeparatorChar)[(at + marker.Length - 1)..];
            candidates.Add(Path.Combine(mirrored, dll));
        }
        foreach (string candidate in candidates)
        {
            if (File.Exists(candidate) && File.Exists(Path.ChangeExtension(candidate, ".runtimeconfig.json"))) return candidate;
        }
        throw new FileNotFoundException(
            $"{dll} was not found (looked in: {string.Join(", ", candidates)}). Build the solution, or tests/StemeQL.CrashWriter, in the same configuration as the tests.");
    });

    // Another user cannot reach the build output when the clone sits in a private folder (a mktemp
    // folder is mode 700): that user runs a copy in the temp folder, which everyone may traverse.
    private static readonly Lazy<string> NobodysCopy = new(() =>
    {
        string source = Path.GetDirectoryName(CrashWriterPath.Value)!;
        string target = Path.Combine(Path.GetTempPath(), $"stemeql-crashwriter-{Environment.ProcessId}");
        foreach (string directory in Directory.GetDirectories(source, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(Path.Combine(target, Path.GetRelativePath(source, directory)));
        Directory.CreateDirectory(target);
        foreach (string file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
            File.Copy(file, Path.Combine(target, Path.GetRelativePath(source, file)), overwrite: true);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { Directory.Delete(target, recursive: true); }
            catch (IOException) { /* the temp folder is reclaimed later */ }
        };
        return Path.Combine(target, Path.GetFileName(CrashWriterPath.Value));
    });
}
