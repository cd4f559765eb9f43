namespace StemeQL.Cli;

/// <summary>What the shell needs from the process: streams, environment and whether a person is at a terminal.</summary>
/// <param name="In">Standard input.</param>
/// <param name="Out">Standard output.</param>
/// <param name="Error">Standard error.</param>
/// <param name="IsTerminal">Standard input is a terminal: show prompts, keep history, time statements.</param>
/// <param name="IsRealConsole">The streams are the process console, so the line editor and Ctrl+C handling apply.</param>
/// <param name="Environment">Reads an environment variable.</param>
/// <param name="HistoryPath">Where prompt history is kept; null keeps none.</param>
internal sealed record ConsoleHost(
    TextReader In,
    TextWriter Out,
    TextWriter Error,
    bool IsTerminal,
    bool IsRealConsole,
    Func<string, string?> Environment,
    string? HistoryPath)
{
    /// <summary>The host for the running process.</summary>
    public static ConsoleHost Create() => new(
        Console.In,
        Console.Out,
        Console.Error,
        IsTerminal: !Console.IsInputRedirected,
        IsRealConsole: true,
        System.Environment.GetEnvironmentVariable,
        HistoryFile.DefaultPath);

    /// <summary>A host over in-memory streams, as tests use.</summary>
    public static ConsoleHost ForStreams(TextReader input, TextWriter output, TextWriter error, Func<string, string?>? environment = null) =>
        new(input, output, error, IsTerminal: false, IsRealConsole: false, environment ?? (_ => null), HistoryPath: null);
}
