namespace StemeQL.Cli.Tests;

/// <summary>A database folder path under the temp folder, deleted on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "steme-cli-test-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A store file still held open is reclaimed with the temp folder later.
        }
    }
}

/// <summary>Runs the steme command in-process with captured streams.</summary>
internal static class Steme
{
    public static (int Code, string Out, string Err) RunWithInput(string input, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = App.Run(args, ConsoleHost.ForStreams(new StringReader(input), output, error));
        return (code, output.ToString().ReplaceLineEndings("\n"), error.ToString().ReplaceLineEndings("\n"));
    }

    public static (int Code, string Out, string Err) Run(params string[] args) => RunWithInput("", args);

    /// <summary>The folder holding StemeQL.sln, found by walking up from the test binaries.</summary>
    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "StemeQL.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("StemeQL.sln not found above " + AppContext.BaseDirectory);
    }
}
