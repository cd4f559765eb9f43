using System.Diagnostics;
using System.Globalization;

namespace StemeQL.Tests.Fuzz;

/// <summary>
/// The fuzzer (tests/StemeQL.Fuzz, docs/reliability.md) for about 50 seconds: half with a fixed seed,
/// half with a new one each run, printed on failure so the run can be replayed.
/// </summary>
public sealed class FuzzShortRunTests
{
    // AND / OR chains are flat and arithmetic chains are refused past 1,000 levels, so long chains
    // run or fail cleanly; 20,000 keeps a short run from spending its time parsing.
    private const int MaxChain = 20_000;

    [Theory]
    [InlineData(20261129)]
    [InlineData(0)]   // 0: a random seed
    public void Fuzzing_finds_no_crash_hang_escape_or_write_by_a_failing_command(int seed)
    {
        if (seed == 0) seed = Random.Shared.Next(1, int.MaxValue);
        var (exitCode, output) = RunFuzzer("--seconds", "25", "--seed", seed.ToString(CultureInfo.InvariantCulture),
            "--max-chain", MaxChain.ToString(CultureInfo.InvariantCulture), "--hang-seconds", "30");
        string summary = output.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.StartsWith("SUMMARY ", StringComparison.Ordinal))
            ?? throw new Xunit.Sdk.XunitException($"The fuzzer (seed {seed}) printed no summary, exit code {exitCode}:\n{output}");
        var counts = summary.Split(' ').Select(p => p.Split('=')).Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => long.Parse(p[1], CultureInfo.InvariantCulture));

        string because = $"seed {seed} (replay: dotnet run --project tests/StemeQL.Fuzz -c Release -- --seed {seed} --seconds 25 --max-chain {MaxChain}):\n{output}";
        Assert.True(counts["executions"] > 100, because);
        Assert.True(counts["crashes"] == 0, because);
        Assert.True(counts["hangs"] == 0, because);
        Assert.True(counts["escapes"] == 0, because);
        Assert.True(counts["failing_writes"] == 0, because);
        Assert.True(counts["inconsistent_reads"] == 0, because);
        Assert.True(counts.GetValueOrDefault("unreadable") == 0, because);
        Assert.True(counts.GetValueOrDefault("outcome:SyntaxError") > 0 && counts.GetValueOrDefault("outcome:ok") > 0, because);
    }

    private static (int ExitCode, string Output) RunFuzzer(params string[] args)
    {
        var start = new ProcessStartInfo(DotnetHost) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(FuzzerPath());
        foreach (string arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("The fuzzer did not start.");
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5))) process.Kill(entireProcessTree: true);
        return (process.ExitCode, stdout + stderr.Result);
    }

    private static string DotnetHost =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host
        : Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self
        : "dotnet";

    /// <summary>StemeQL.Fuzz.dll from its own output folder, which mirrors this one with the project name swapped.</summary>
    private static string FuzzerPath()
    {
        const string dll = "StemeQL.Fuzz.dll";
        string here = Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory) + Path.DirectorySeparatorChar;
        var candidates = new List<string> { Path.Combine(here, dll) };
        string marker = Path.DirectorySeparatorChar + "StemeQL.Tests" + Path.DirectorySeparatorChar;
        int at = here.LastIndexOf(marker, StringComparison.Ordinal);
        if (at >= 0) candidates.Add(Path.Combine(here[..at] + Path.DirectorySeparatorChar + "StemeQL.Fuzz" + here[(at + marker.Length - 1)..], dll));
        return candidates.FirstOrDefault(c => File.Exists(c) && File.Exists(Path.ChangeExtension(c, ".runtimeconfig.json")))
            ?? throw new FileNotFoundException($"{dll} was not found (looked in: {string.Join(", ", candidates)}). Build tests/StemeQL.Fuzz in the same configuration as the tests.");
    }
}
