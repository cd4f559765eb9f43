using System.Diagnostics;

namespace StemeQL.TestSupport;

/// <summary>
/// A PostgreSQL primary and synchronous standby of the test's own, for tests that kill the primary,
/// promote the standby or stop it: tools/test-servers/postgres-pair.sh run with a private state folder,
/// so neither the shared pair (<see cref="TestServers.PostgresPrimary"/>) nor another test's pair is
/// touched, whatever runs in parallel. Starting one takes a few seconds. Stopped and removed on dispose.
/// </summary>
internal sealed class PrivatePostgresPair : IAsyncDisposable
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(2);
    private readonly string _state;

    private PrivatePostgresPair(string state)
    {
        _state = state;
        string env = Path.Combine(state, "postgres-pair.env");
        Primary = EnvFile.Get(env, "STEMEQL_TEST_PG_PRIMARY");
        Standby = EnvFile.Get(env, "STEMEQL_TEST_PG_STANDBY");
        MultiHost = EnvFile.Get(env, "STEMEQL_TEST_PG_MULTIHOST");
        MultiHostRead = EnvFile.Get(env, "STEMEQL_TEST_PG_MULTIHOST_READ");
    }

    /// <summary>An Npgsql connection string for the primary alone.</summary>
    public string Primary { get; }

    /// <summary>An Npgsql connection string for the standby alone.</summary>
    public string Standby { get; }

    /// <summary>Both servers, <c>Target Session Attributes=read-write</c>: whichever is primary now.</summary>
    public string MultiHost { get; }

    /// <summary>Both servers, <c>Target Session Attributes=prefer-standby</c>.</summary>
    public string MultiHostRead { get; }

    /// <summary>Starts a fresh pair; returns once the standby streams and is synchronous.</summary>
    public static async Task<PrivatePostgresPair> StartAsync()
    {
        string state = Directory.CreateTempSubdirectory("stemeql-pair-state-").FullName;
        try
        {
            await RunAsync(state, "start");
            return new PrivatePostgresPair(state);
        }
        catch
        {
            await RemoveAsync(state);
            throw;
        }
    }

    /// <summary>Stops the primary hard (<c>pg_ctl stop -m immediate</c>), as a crash would.</summary>
    public Task KillPrimaryAsync() => RunAsync(_state, "kill-primary");

    /// <summary>Promotes the standby; returns once it accepts writes.</summary>
    public Task PromoteStandbyAsync() => RunAsync(_state, "promote-standby");

    /// <summary>Stops the standby: commits on the primary then wait until it is back.</summary>
    public Task StopStandbyAsync() => RunAsync(_state, "stop-standby");

    /// <summary>Starts the standby again; returns once it is synchronous again.</summary>
    public Task StartStandbyAsync() => RunAsync(_state, "start-standby");

    public ValueTask DisposeAsync() => new(RemoveAsync(_state));

    private static async Task RemoveAsync(string state)
    {
        try
        {
            await RunAsync(state, "stop");
        }
        finally
        {
            Directory.Delete(state, recursive: true);
        }
    }

    private static async Task RunAsync(string state, string command)
    {
        string script = Path.Combine(TestServerFolder.Get(), "postgres-pair.sh");
        var start = new ProcessStartInfo("bash") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(command);
        start.Environment["STEMEQL_TEST_SERVERS_STATE"] = state;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"bash did not start {script}");
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(ScriptTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'postgres-pair.sh {command}' did not finish within {ScriptTimeout.TotalSeconds} s");
        }
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"'postgres-pair.sh {command}' failed with exit code {process.ExitCode}:\n{await errors}{await output}");
        }
    }
}
