using System.Diagnostics;

namespace StemeQL.Linq.Tests;

/// <summary>The examples/StemeQL.Example console app (ADO.NET, Dapper and LINQ on a data folder), built with the tests and run as a user would.</summary>
public sealed class ExampleAppTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "stemeql-example-test-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task The_example_app_answers_with_ADO_NET_Dapper_and_LINQ()
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(ExampleDll());
        start.ArgumentList.Add(_folder);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));

        Assert.True(process.ExitCode == 0, await error);
        string text = await output;
        Assert.Contains("Dapper: consensus says canberra", text);
        Assert.Contains("LINQ: SELECT object, confidence FROM assertions USING LENS consensus WHERE subject = @p0 AND predicate = 'capital_of'", text);
        Assert.Contains("LINQ: consensus says canberra", text);
        Assert.Contains("LINQ: 2 claims about australia in the ledger", text);
        Assert.Contains("span: SELECT assertions (materialized_view)", text);
    }

    // The example's output folder mirrors this test project's (same configuration and framework).
    private static string ExampleDll()
    {
        string here = Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory);
        string marker = Path.Combine("tests", "StemeQL.Linq.Tests", "bin");
        int at = here.LastIndexOf(marker, StringComparison.Ordinal);
        Assert.True(at >= 0, $"the test assembly is not in tests/StemeQL.Linq.Tests/bin: {here}");
        return Path.Combine(here[..at] + Path.Combine("examples", "StemeQL.Example", "bin") + here[(at + marker.Length)..], "StemeQL.Example.dll");
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }
}
