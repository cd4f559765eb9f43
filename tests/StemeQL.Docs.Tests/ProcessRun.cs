using System.Diagnostics;

namespace StemeQL.Docs.Tests;

/// <summary>Runs a program to its end and returns its exit code and output (stdout and stderr together).</summary>
internal static class ProcessRun
{
    public static (int ExitCode, string Output) Run(string file, string arguments, string workingDirectory, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // The test host runs under `dotnet test`, whose MSBuild variables would steer a nested build.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(name);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {arguments} did not finish within {timeout.TotalSeconds:0} s.");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    /// <summary>Runs and asserts a zero exit code, showing the output when it is not.</summary>
    public static string Succeed(string file, string arguments, string workingDirectory, TimeSpan timeout)
    {
        var (code, output) = Run(file, arguments, workingDirectory, timeout);
        Assert.True(code == 0, $"`{file} {arguments}` in {workingDirectory} exited with {code}:\n{output}");
        return output;
    }
}
