using System.Diagnostics;

namespace StemeQL.Cli.Tests;

/// <summary>
/// The <c>./steme</c> launcher in a copy of the repository's layout, with a fake <c>dotnet</c> on the PATH that
/// logs how it was called: it must build only when a source is newer than the last build.
/// </summary>
public sealed class LauncherTests : IDisposable
{
    private readonly TempFolder _root = new();
    private readonly string _log;

    public LauncherTests()
    {
        Directory.CreateDirectory(_root.Path);
        _log = Path.Combine(_root.Path, "dotnet.log");
        File.Copy(Path.Combine(Steme.RepoRoot(), "steme"), Path.Combine(_root.Path, "steme"));
        foreach (string folder in new[] { "src/Cli/bin/Release/net10.0", "src/Planner/obj", "grammar", "tools/antlr", "fake-bin" })
            Directory.CreateDirectory(Path.Combine(_root.Path, folder));
        Write("src/Cli/App.cs", "// source");
        Write("src/Planner/obj/Generated.cs", "// build output, never a reason to build");
        Write("grammar/StemeQL.g4", "grammar StemeQL;");
        Write("src/Cli/bin/Release/net10.0/steme.dll", "");
        // The fake dotnet logs its arguments, paths shortened to their file names.
        Write("fake-bin/dotnet", $"#!/usr/bin/env bash\necho \"${{1##*/}} ${{2##*/}} ${{@:3}}\" >> '{_log}'\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(Path.Combine(_root.Path, "fake-bin/dotnet"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private const string Build = "build StemeQL.Cli.csproj -c Release --nologo -v quiet";

    public void Dispose() => _root.Dispose();

    [Fact]
    public void Launcher_builds_on_first_use_then_runs_the_dll_without_building()
    {
        Assert.Equal(0, Launch("--version"));
        Assert.Equal(0, Launch("-c", "x"));

        Assert.Equal([Build, "steme.dll --version", "steme.dll -c x"], Log());
    }

    [Theory]
    [InlineData("src/Cli/App.cs")]
    [InlineData("grammar/StemeQL.g4")]
    [InlineData("src/Cli/StemeQL.Cli.csproj")]
    [InlineData("Directory.Packages.props")]
    public void Launcher_builds_again_when_a_source_is_newer_than_the_last_build(string source)
    {
        Launch("--version");
        BackdateTree();
        Write(source, "// edited");

        Launch("--version");
        Launch("--version");

        Assert.Equal([Build, "steme.dll --version",
            Build, "steme.dll --version", "steme.dll --version"], Log());
    }

    [Fact]
    public void Launcher_ignores_files_under_bin_and_obj()
    {
        Launch("--version");
        BackdateTree();
        Write("src/Planner/obj/Generated.cs", "// regenerated");

        Launch("--version");

        Assert.Equal([Build, "steme.dll --version", "steme.dll --version"], Log());
    }

    /// <summary>Dates every file well before now and the build stamp after them, so an edit now is certainly newer.</summary>
    private void BackdateTree()
    {
        foreach (string file in Directory.EnumerateFiles(_root.Path, "*", SearchOption.AllDirectories))
            File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddMinutes(-10));
        File.SetLastWriteTimeUtc(Path.Combine(_root.Path, "src/Cli/bin/Release/net10.0/.steme-built"), DateTime.UtcNow.AddMinutes(-5));
    }

    private void Write(string relative, string text) => File.WriteAllText(Path.Combine(_root.Path, relative), text);

    private List<string> Log() => File.ReadAllLines(_log).Select(l => l.Trim()).ToList();

    private int Launch(params string[] args)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(Path.Combine(_root.Path, "steme"));
        foreach (string arg in args) start.ArgumentList.Add(arg);
        start.Environment["PATH"] = Path.Combine(_root.Path, "fake-bin") + ":" + Environment.GetEnvironmentVariable("PATH");
        using var process = Process.Start(start)!;
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, error);
        return process.ExitCode;
    }
}
